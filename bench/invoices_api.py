"""Invoices created and finalized per second through the API on PostgreSQL.

The API runs as 2 uvicorn worker processes (one per core); the load comes from this
separate process over 127.0.0.1: each virtual user creates an invoice with three lines and
finalizes it, over and over, for a fixed duration — in one call (`"finalize": true`) or in
two (create the draft, then `POST /finalize`).

Numbers are gapless per organization, so finalizations of one organization queue for its
sequence row. The single-organization rows are the worst case (every request contends for
that one row); the multi-tenant row spreads the same users over ORGS organizations.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import LeanClient, Row, bench_env, fresh_pg_database, migrate, print_table, start_api  # noqa: E402

DURATION = 10.0
USERS = 32
ORGS = 8
TARGET = 300.0

LINES = [
    {"description": "Beratung", "quantity": "4", "unit_code": "HUR", "unit_price": "95.00", "vat_rate": "19"},
    {"description": "Fachbuch", "quantity": "1", "unit_price": "34.50", "vat_rate": "7"},
    {"description": "Anfahrt", "quantity": "1", "unit_code": "LS", "unit_price": "40.00", "vat_rate": "19"},
]


Tenant = tuple[str, int]  # access token, contact id


async def _setup(port: int, n: int = 0) -> Tenant:
    c = LeanClient(port)
    await c.connect()
    status, body = await c.request(
        "POST", "/api/auth/register",
        json.dumps({"email": f"bench{n}@muster-gmbh.de", "password": "bench-bench-1", "full_name": "Bench", "organization_name": f"Bench {n} GmbH"}).encode(),
    )
    assert status == 201, body
    token = json.loads(body)["access_token"]
    c2 = LeanClient(port, {"Authorization": f"Bearer {token}"})
    await c2.connect()
    seller = {
        "street": "Hauptstraße 12", "postal_code": "10115", "city": "Berlin", "vat_id": "DE123456788",
        "iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "contact_name": "Maria Muster",
        "phone": "+49 30 1234567", "email": f"bench{n}@muster-gmbh.de",
    }
    status, body = await c2.request("PATCH", "/api/organization", json.dumps(seller).encode())
    assert status == 200, body
    status, body = await c2.request(
        "POST", "/api/contacts",
        json.dumps({"name": "Kunde GmbH", "email": "kunde@kunde.de", "street": "Weg 1", "postal_code": "80331", "city": "München", "country_code": "DE"}).encode(),
    )
    assert status == 201, body
    await c.close()
    await c2.close()
    return token, json.loads(body)["id"]


async def _tenants(port: int, first: int, n: int) -> list[Tenant]:
    return list(await asyncio.gather(*(_setup(port, i) for i in range(first, first + n))))


async def _load(port: int, tenants: list[Tenant], one_call: bool) -> tuple[int, list[float], int]:
    """USERS virtual users, spread round-robin over the tenants (organizations)."""
    done = 0
    errors = 0
    latencies: list[float] = []
    stop_at = time.perf_counter() + DURATION

    async def user(i: int) -> None:
        nonlocal done, errors
        token, contact_id = tenants[i % len(tenants)]
        body = json.dumps({"contact_id": contact_id, "lines": LINES, "finalize": one_call}).encode()
        c = LeanClient(port, {"Authorization": f"Bearer {token}"})
        await c.connect()
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            status, resp = await c.request("POST", "/api/invoices", body)
            if status != 201:
                errors += 1
                continue
            if not one_call:
                inv_id = json.loads(resp)["id"]
                status, resp = await c.request("POST", f"/api/invoices/{inv_id}/finalize")
                if status != 200:
                    errors += 1
                    continue
            latencies.append(time.perf_counter() - t0)
            done += 1
        await c.close()

    await asyncio.gather(*(user(i) for i in range(USERS)))
    return done, latencies, errors


def _row(name: str, done: int, lat: list[float], errors: int) -> Row:
    rate = done / DURATION
    p50 = statistics.median(lat) * 1000 if lat else 0.0
    p99 = statistics.quantiles(lat, n=100)[98] * 1000 if len(lat) > 100 else 0.0
    return Row(
        name,
        rate,
        "/s",
        f">= {TARGET:.0f}/s",
        rate >= TARGET and errors == 0,
        f"{done} in {DURATION:.0f} s, {USERS} parallel, p50 {p50:.0f} ms, p99 {p99:.0f} ms, Fehler {errors}",
    )


def run() -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as tmp:
        env = bench_env(fresh_pg_database("rw_bench_invoices"), Path(tmp))
        migrate(env)
        proc, port = start_api(env, workers=2, reuse_port=True)
        try:
            one_org = asyncio.run(_tenants(port, 0, 1))
            many_orgs = asyncio.run(_tenants(port, 1, ORGS))
            # First the API's create-and-finalize operation (one call), then the same done as
            # draft + finalize (two calls, what the web app does for a draft it saved first).
            for name, tenants, one_call in (
                ("Rechnungen angelegt + festgeschrieben pro s (API, PostgreSQL, 1 Aufruf finalize=true, 1 Organisation)", one_org, True),
                ("dto., 2 Aufrufe (Entwurf, dann festschreiben), 1 Organisation", one_org, False),
                (f"dto., 2 Aufrufe, {ORGS} Organisationen", many_orgs, False),
                (f"dto., 1 Aufruf (finalize=true), {ORGS} Organisationen", many_orgs, True),
            ):
                rows.append(_row(name, *asyncio.run(_load(port, tenants, one_call))))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return rows


if __name__ == "__main__":
    print_table(run())
