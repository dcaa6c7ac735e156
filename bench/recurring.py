"""The daily recurring run over 10,000 due templates (3 lines each) on PostgreSQL.

    .venv/bin/python bench/recurring.py [--templates 10000] [--orgs 100] [--batch-size 100]
    (or as part of `make bench`)

Seeds a private database with organizations, customers and due monthly templates, then
runs the real command `rechnungswerk recurring run --date ...` as separate processes,
exactly as an operator or the cron would:

  1. one process over all templates (target: at most 60 s);
  2. two processes started together: every template billed exactly once;
  3. the same with every template in ONE organization: the worst case for the gapless
     number sequence, whose row lock serializes an organization's finalizations.

After each scenario the database is checked: invoices = templates, no period billed twice,
per organization the numbers are exactly 1..n, nothing left due. Wall time includes the
start-up of the processes. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BACKEND, PG_ADMIN, Row, bench_env, fresh_pg_database, migrate, print_table  # noqa: E402

RUN_DATE = date(2026, 12, 1)
TARGET_SECONDS = 60.0

LINES = [
    {"description": "Wartungspauschale", "quantity": "1", "unit_code": "C62", "unit_price": "100.00",
     "vat_rate": "19.00", "vat_category": "S"},
    {"description": "Hosting", "quantity": "2", "unit_code": "MON", "unit_price": "12.50",
     "vat_rate": "19.00", "vat_category": "S"},
    {"description": "Fachzeitschrift", "quantity": "1", "unit_code": "C62", "unit_price": "10.00",
     "vat_rate": "7.00", "vat_category": "S"},
]


# --- run inside a child process with the bench environment (imports the app) -------------


async def _seed(templates: int, orgs: int, auto_send: bool = False) -> None:
    from sqlalchemy import insert, select, text

    from app.contacts.models import Contact
    from app.db import dispose_engine, get_sessionmaker
    from app.organizations.models import Organization
    from app.recurring.models import RecurringInvoice

    async with get_sessionmaker()() as s:
        await s.execute(text(
            "TRUNCATE recurring_occurrences, recurring_invoices, notifications, audit_events, invoice_lines, "
            "invoices, invoice_number_sequences, contacts, organizations RESTART IDENTITY CASCADE"
        ))
        await s.execute(insert(Organization), [
            {
                "name": f"Bench {i} GmbH", "street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin",
                "vat_id": "DE123456788", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX",
                "contact_name": "Maria Muster", "phone": "+49 30 1234567", "email": f"rechnung{i}@bench.example",
            }
            for i in range(orgs)
        ])
        org_ids = list(await s.scalars(select(Organization.id).order_by(Organization.id)))
        await s.execute(insert(Contact), [
            {"organization_id": o, "name": f"Kunde {o}-{k}", "street": "Marktplatz 5", "postal_code": "80331",
             "city": "München", "country_code": "DE", "email": f"kunde{o}-{k}@bench.example"}
            for o in org_ids for k in range(5)
        ])
        contacts: dict[int, list[int]] = {}
        for cid, oid in (await s.execute(select(Contact.id, Contact.organization_id))).all():
            contacts.setdefault(oid, []).append(cid)
        rows = []
        for n in range(templates):
            # Round robin: every batch of the run spans many organizations, as in real life.
            oid = org_ids[n % len(org_ids)]
            rows.append({
                "organization_id": oid, "contact_id": contacts[oid][n % len(contacts[oid])],
                "name": f"Vertrag {n}", "frequency": "monthly", "start_date": RUN_DATE, "next_due": RUN_DATE,
                "next_index": 0, "occurrences_count": 0, "lines": LINES, "is_active": True,
                "auto_finalize": True, "auto_send": auto_send,
                "note": "Leistungszeitraum {period_start} – {period_end}",
            })
        for i in range(0, len(rows), 2000):
            await s.execute(insert(RecurringInvoice), rows[i:i + 2000])
        await s.commit()
        await s.execute(text("ANALYZE"))
    await dispose_engine()


async def _check() -> dict[str, int]:
    from sqlalchemy import text

    from app.db import dispose_engine, get_sessionmaker

    queries = {
        "invoices": "SELECT count(*) FROM invoices",
        "finalized": "SELECT count(*) FROM invoices WHERE status = 'open'",
        "occurrences": "SELECT count(*) FROM recurring_occurrences",
        "billed_twice": (
            "SELECT count(*) FROM (SELECT recurring_invoice_id, period_start FROM recurring_occurrences "
            "GROUP BY 1, 2 HAVING count(*) > 1) d"
        ),
        "still_due": f"SELECT count(*) FROM recurring_invoices WHERE is_active AND next_due <= '{RUN_DATE}'",
        # Gapless and unique: per organization the numbers are exactly 1..count.
        "number_gaps": (
            "SELECT count(*) FROM (SELECT organization_id, count(*) AS n, count(DISTINCT number) AS d, "
            "max(CAST(split_part(number, '-', 3) AS int)) AS hi FROM invoices WHERE number IS NOT NULL "
            "GROUP BY organization_id) x WHERE n <> d OR hi <> n"
        ),
    }
    out = {}
    async with get_sessionmaker()() as s:
        for key, sql in queries.items():
            out[key] = int(await s.scalar(text(sql)) or 0)
    await dispose_engine()
    return out


# --- orchestration (no app import: the parent's environment stays untouched) -------------


def _child(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args], env=env, cwd=BACKEND,
        check=True, stdout=subprocess.PIPE, text=True,
    )
    return done.stdout


def _runs(env: dict[str, str], processes: int, batch_size: int) -> tuple[float, list[str]]:
    cmd = [sys.executable, "-m", "app.cli", "recurring", "run", "--date", RUN_DATE.isoformat(),
           "--batch-size", str(batch_size)]
    started = time.perf_counter()
    procs = [subprocess.Popen(cmd, cwd=BACKEND, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(processes)]
    outputs = []
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"recurring run failed ({p.returncode}):\n{out}\n{err}")
        outputs.append(out.strip())
    return time.perf_counter() - started, outputs


def _drop(name: str) -> None:
    import asyncpg

    async def _run() -> None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name
            )
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await conn.close()

    asyncio.run(_run())


def measure(
    templates: int = 10_000, orgs: int = 100, batch_size: int = 100, auto_send: bool = False
) -> list[dict[str, Any]]:
    name = f"rw_bench_recurring_{os.getpid()}"
    url = fresh_pg_database(name)
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="rw-bench-recurring-") as tmp:
            env = bench_env(url, Path(tmp))
            migrate(env)
            scenarios = [("ein Lauf", 1, orgs), ("zwei Läufe gleichzeitig", 2, orgs), ("zwei Läufe, eine Organisation", 2, 1)]
            if auto_send:
                scenarios = [("ein Lauf mit auto_send", 1, orgs)]
            for label, processes, org_count in scenarios:
                _child(env, "_seed", str(templates), str(org_count), "1" if auto_send else "0")
                seconds, outputs = _runs(env, processes, batch_size)
                check = json.loads(_child(env, "_check"))
                ok = (
                    check["invoices"] == templates and check["finalized"] == templates and check["billed_twice"] == 0
                    and check["number_gaps"] == 0 and check["still_due"] == 0
                )
                results.append({"label": label, "processes": processes, "orgs": org_count, "seconds": seconds,
                                "check": check, "outputs": outputs, "exactly_once": ok})
    finally:
        _drop(name)
    return results


def _rows(results: list[dict[str, Any]], templates: int) -> list[Row]:
    rows = []
    for r in results:
        c = r["check"]
        per_second = c["invoices"] / r["seconds"] if r["seconds"] else 0.0
        note = f"{c['invoices']} Rechnungen, {per_second:.0f}/s, doppelt {c['billed_twice']}, Lücken {c['number_gaps']}"
        if r["processes"] == 1:
            ok = r["exactly_once"] and r["seconds"] <= TARGET_SECONDS
            target = f"≤ {TARGET_SECONDS:.0f} s"
        else:
            ok = r["exactly_once"]
            target = f"{templates} Rechnungen, jede einmal"
        rows.append(Row(f"Serienrechnungen {templates} Vorlagen: {r['label']}", r["seconds"], "s", target, ok, note))
    return rows


def run() -> list[Row]:
    """Entry point of `make bench` (bench/run_all.py)."""
    return _rows(measure(), 10_000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--templates", type=int, default=10_000)
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--auto-send", action="store_true", help="templates e-mail their invoices (information only)")
    args = parser.parse_args()
    results = measure(args.templates, args.orgs, args.batch_size, args.auto_send)
    print(f"\nRecurring run: {args.templates} due templates x 3 lines, batch size {args.batch_size}, "
          f"PostgreSQL, {os.cpu_count()} CPUs, load average before: {os.getloadavg()[0]:.1f}\n")
    head = (f"{'scenario':<31}{'procs':>6}{'orgs':>6}{'wall s':>9}{'inv/s':>8}{'invoices':>10}"
            f"{'finalized':>10}{'twice':>7}{'gaps':>6}{'left':>6}")
    print(head)
    print("-" * len(head))
    for r in results:
        c = r["check"]
        print(f"{r['label']:<31}{r['processes']:>6}{r['orgs']:>6}{r['seconds']:>9.1f}{c['invoices'] / r['seconds']:>8.0f}"
              f"{c['invoices']:>10}{c['finalized']:>10}{c['billed_twice']:>7}{c['number_gaps']:>6}{c['still_due']:>6}")
    print()
    for r in results:
        for out in r["outputs"]:
            print(f"  {r['label']}: {out}")
    print()
    rows = _rows(results, args.templates)
    print_table(rows)
    if not all(row.ok for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_seed":
        asyncio.run(_seed(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"))
    elif len(sys.argv) > 1 and sys.argv[1] == "_check":
        print(json.dumps(asyncio.run(_check())))
    else:
        main()
