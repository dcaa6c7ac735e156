"""Benchmark: webhook deliveries and e-mails per second from ONE worker process.

    .venv/bin/python bench/background.py [--deliveries 6000] [--emails 3000] [--single 1500]

`make bench` (bench/run_all.py) calls `run()`, which runs this file in a subprocess (its
settings must not mix with other benchmarks' in one process) and returns the table rows.

What it does, on this machine's PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379):
  1. a private database (created, migrated, dropped at the end) and a private ARQ queue;
  2. a local webhook receiver and a local Brevo-protocol stub on 127.0.0.1 (threads of this
     process; the receiver checks a sample of signatures with `standardwebhooks`);
  3. writes the work the way the app does - events through `app.events.emit` (fan-out to
     several endpoints), e-mails through `queue_email` - so the jobs wait in Redis;
  4. starts the real worker (`python -m arq app.tasks.worker.WorkerSettings`) as a
     subprocess, waits until every row is done, stops it, and reads the attempt times
     from the database.
Rate = items / (last attempt - first attempt), so the worker's start-up is not counted;
the wall time including start-up is printed too. Prints a table; asserts nothing.
"""

import argparse
import asyncio
import json
import os
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backend"
RUN = secrets.token_hex(3)
DB_NAME = f"rw_bench_{RUN}"
ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TMP = Path(tempfile.mkdtemp(prefix="rw-bench-"))

# Configure before anything imports app.config (settings are read once).
os.environ.update(
    {
        "ENVIRONMENT": "development",
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DB_NAME}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "ARQ_QUEUE_NAME": f"arq:bench:{RUN}",
        "DATA_DIR": str(TMP / "data"),
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
        "EMAIL_BACKEND": "brevo",
        "BREVO_API_KEY": "xkeysib-test-key",
    }
)
sys.path.insert(0, str(BACKEND))

from sqlalchemy import func, select  # noqa: E402

from tests.stubs.brevo import BrevoStub  # noqa: E402
from tests.stubs.httpserver import Request, Response, StubServer  # noqa: E402


class CountingReceiver:
    """Answers 204 at once; verifies every 50th signature so the check costs little CPU."""

    def __init__(self) -> None:
        self.count = 0
        self.verified = 0
        self.bad = 0
        self.secrets: dict[str, str] = {}
        self.server = StubServer(self._handle)

    def _handle(self, request: Request) -> Response:
        self.count += 1
        secret = self.secrets.get(request.path)
        if self.count % 50 == 1 and secret:
            from standardwebhooks.webhooks import Webhook, WebhookVerificationError

            try:
                Webhook(secret).verify(request.body, request.headers)
                self.verified += 1
            except WebhookVerificationError:
                self.bad += 1
        return Response(204)


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def new_org(name: str) -> int:
    from app.db import commit, get_sessionmaker
    from app.organizations.models import Organization

    async with get_sessionmaker()() as session:
        org = Organization(name=name, email="rechnung@bench.example", country_code="DE")
        session.add(org)
        await commit(session)
        return org.id


async def prepare_webhooks(receiver: CountingReceiver, org_id: int, deliveries: int, endpoints: int, per_tx: int) -> int:
    """Endpoints and events, emitted `per_tx` per transaction as the app does (fan-out inside
    the business transaction, jobs to Redis after each commit). Returns the delivery count."""
    from app import events
    from app.db import commit, get_sessionmaker
    from app.webhooks.models import WebhookEndpoint
    from app.webhooks.signing import new_secret

    maker = get_sessionmaker()
    async with maker() as session:
        for i in range(endpoints):
            secret = new_secret()
            path = f"/hook/{org_id}/{i}"
            receiver.secrets[path] = secret
            session.add(
                WebhookEndpoint(
                    organization_id=org_id, url=receiver.server.url + path, events=["invoice.paid"], secret=secret,
                    description="",
                )
            )
        await commit(session)
    events_needed = deliveries // endpoints
    for start in range(0, events_needed, per_tx):
        async with maker() as session:
            for n in range(start, min(start + per_tx, events_needed)):
                await events.emit(session, org_id, "invoice.paid", {"id": n, "number": f"RE-2026-{n:05d}", "gross_total": "119.00"})
            await commit(session)
    return events_needed * endpoints


async def prepare_emails(org_id: int, emails: int, per_tx: int) -> None:
    from app.db import commit, get_sessionmaker
    from app.email.service import queue_email

    maker = get_sessionmaker()
    for start in range(0, emails, per_tx):
        async with maker() as session:
            for n in range(start, min(start + per_tx, emails)):
                await queue_email(
                    session, organization_id=org_id, to=f"kunde{n}@beispiel.de", subject=f"Ihre Rechnung RE-2026-{n:05d}",
                    text_body="Guten Tag,\nanbei Ihre Rechnung.\n", html_body="<p>Guten Tag,</p><p>anbei Ihre Rechnung.</p>",
                    kind="invoice",
                )
            await commit(session)


def start_worker(log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "arq", "app.tasks.worker.WorkerSettings"],
        cwd=BACKEND, env=dict(os.environ), stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )


async def _one(stmt):  # type: ignore[no-untyped-def]
    from app.db import get_sessionmaker

    async with get_sessionmaker()() as s:
        return (await s.execute(stmt)).one()


async def run_phase(name: str, kind: str, org_id: int, total: int) -> tuple[float, float, int, float]:
    """Start the worker, wait until the organization's rows are done, stop it. Returns
    (seconds from first to last attempt, wall seconds incl. start-up, failed attempts,
    CPU seconds the worker process used in all - start-up and shutdown included)."""
    from app.email.models import EmailAttempt, EmailMessage
    from app.webhooks.models import WebhookAttempt, WebhookDelivery

    if kind == "webhook":
        done_q = select(func.count()).select_from(WebhookDelivery).where(
            WebhookDelivery.organization_id == org_id, WebhookDelivery.status == "succeeded"
        )
        join = (WebhookAttempt, WebhookDelivery, WebhookAttempt.delivery_id == WebhookDelivery.id, WebhookDelivery.organization_id)
        ok = "succeeded"
    else:
        done_q = select(func.count()).select_from(EmailMessage).where(
            EmailMessage.organization_id == org_id, EmailMessage.status == "sent"
        )
        join = (EmailAttempt, EmailMessage, EmailAttempt.email_id == EmailMessage.id, EmailMessage.organization_id)
        ok = "sent"
    attempt, row, on, org_col = join
    log = TMP / f"worker-{name}.log"
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = usage.ru_utime + usage.ru_stime
    t0 = time.perf_counter()
    proc = start_worker(log)
    try:
        while (done := (await _one(done_q))[0]) < total:
            if proc.poll() is not None:
                raise SystemExit(f"worker exited early, see {log}")
            if time.perf_counter() - t0 > 600:
                raise SystemExit(f"{name}: only {done}/{total} after 600 s, see {log}")
            await asyncio.sleep(0.2)
        wall = time.perf_counter() - t0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    first, last = await _one(select(func.min(attempt.created_at), func.max(attempt.created_at)).join(row, on).where(org_col == org_id))
    failed = (await _one(select(func.count()).select_from(attempt).join(row, on).where(org_col == org_id, attempt.outcome != ok)))[0]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (last - first).total_seconds(), wall, failed, usage.ru_utime + usage.ru_stime - cpu0


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=6000, help="webhook deliveries in the fan-out run")
    parser.add_argument("--emails", type=int, default=3000, help="e-mails in the bulk run")
    parser.add_argument("--single", type=int, default=1500, help="items in the one-per-transaction runs")
    parser.add_argument("--endpoints", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print the results as one JSON line (for run())")
    args = parser.parse_args()

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    receiver = CountingReceiver()
    receiver.server.start()
    brevo = BrevoStub().start()
    os.environ["BREVO_API_URL"] = brevo.api_url
    await _admin(f'CREATE DATABASE "{DB_NAME}"')
    try:
        from app.cli import migrate

        await asyncio.to_thread(migrate)
        from app.config import get_settings

        get_settings().brevo_api_url = brevo.api_url

        # Each run on its own: all its jobs wait in Redis before the worker starts, so the
        # rate is the worker's, not the producer's.
        results = []
        org = await new_org("Fan-out GmbH")
        n = await prepare_webhooks(receiver, org, args.deliveries, args.endpoints, per_tx=200)
        results.append((f"webhooks, fan-out to {args.endpoints}", n, 500, *await run_phase("wh-fanout", "webhook", org, n)))

        org = await new_org("Einzeln GmbH")
        n = await prepare_webhooks(receiver, org, args.single, 1, per_tx=1)
        results.append(("webhooks, 1 per transaction", n, 500, *await run_phase("wh-single", "webhook", org, n)))

        org = await new_org("Massenversand GmbH")
        await prepare_emails(org, args.emails, per_tx=200)
        results.append(("e-mails, bulk (Brevo stub)", args.emails, 300, *await run_phase("mail-bulk", "email", org, args.emails)))

        org = await new_org("Einzelversand GmbH")
        await prepare_emails(org, args.single, per_tx=1)
        results.append(("e-mails, 1 per transaction", args.single, 300, *await run_phase("mail-single", "email", org, args.single)))

        print()
        print(f"One worker process (python -m arq app.tasks.worker.WorkerSettings), PostgreSQL, Redis, {os.cpu_count()} CPUs,")
        print("local receiver and Brevo-protocol stub on 127.0.0.1; rate = items / (last attempt - first attempt)")
        print(f"load average before: {load_before}, after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print()
        print(
            f"| {'what':<29} | {'items':>6} | {'seconds':>7} | {'per second':>10} | {'wall incl. start':>16} "
            f"| {'worker CPU/item':>15} | {'target':>6} |"
        )
        print(f"|{'-' * 31}|{'-' * 8}|{'-' * 9}|{'-' * 12}|{'-' * 18}|{'-' * 17}|{'-' * 8}|")
        failed_total = 0
        for what, n, target, secs, wall, failed, cpu in results:
            failed_total += failed
            rate = n / secs if secs > 0 else float("inf")
            print(
                f"| {what:<29} | {n:>6} | {secs:>7.2f} | {rate:>10.0f} | {wall:>14.2f} s "
                f"| {cpu / n * 1000:>12.2f} ms | {('>= ' + str(target)) if _ROW_NAMES.get(what, ('', True))[1] else 'info':>6} |"
            )
        print()
        print(
            f"receiver: {receiver.count} requests, {receiver.verified} sampled signatures valid, {receiver.bad} invalid; "
            f"Brevo stub: {brevo.accepted_count()} accepted of {brevo.requests} requests; failed attempts: {failed_total}"
        )
        if args.json:
            keys = ("what", "items", "target", "seconds", "wall", "failed", "cpu")
            print(json.dumps({"results": [dict(zip(keys, r, strict=True)) for r in results], "bad_signatures": receiver.bad}))
    finally:
        from app.db import dispose_engine
        from app.tasks.queue import close_pool, get_pool

        try:
            pool = await get_pool()
            await pool.delete(os.environ["ARQ_QUEUE_NAME"])
        except Exception:  # noqa: BLE001 - best effort
            pass
        await close_pool()
        await dispose_engine()
        await _admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        receiver.server.stop()
        brevo.stop()


# Rows for `make bench`; "(Info)" rows have no target of their own.
_ROW_NAMES = {
    "webhooks, fan-out to 5": ("Webhooks: Fan-out an 5 Endpunkte (1 Worker)", True),
    "webhooks, 1 per transaction": ("Webhooks: je 1 Ereignis pro Transaktion (Info)", False),
    "e-mails, bulk (Brevo stub)": ("E-Mails: Massenversand an Brevo-Stub (1 Worker)", True),
    "e-mails, 1 per transaction": ("E-Mails: je 1 pro Transaktion (Info)", False),
}


def run() -> list:  # type: ignore[type-arg]
    from common import Row

    proc = subprocess.run([sys.executable, __file__, "--json"], capture_output=True, text=True, timeout=1800, cwd=ROOT)
    sys.stderr.write(proc.stdout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise RuntimeError(f"bench/background.py exited with {proc.returncode}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    rows = []
    for r in data["results"]:
        name, counted = _ROW_NAMES.get(r["what"], (r["what"], False))
        rate = r["items"] / r["seconds"] if r["seconds"] > 0 else 0.0
        note = f"{r['items']} in {r['seconds']:.1f} s, Worker-CPU {r['cpu'] / r['items'] * 1000:.2f} ms/Stück"
        if r["failed"]:
            note += f", {r['failed']} Fehlversuche"
        ok = (rate >= r["target"] and not r["failed"]) if counted else not r["failed"]
        rows.append(Row(name, rate, "/s", f">= {r['target']}/s" if counted else "-", ok, note))
    return rows


if __name__ == "__main__":
    asyncio.run(main())
