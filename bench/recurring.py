"""Benchmark: the daily recurring run over many due templates, on PostgreSQL.

    .venv/bin/python bench/recurring.py [--templates 10000] [--orgs 100] [--batch-size 50]

Creates a private database, seeds organizations, customers and due templates (3 lines
each), then runs the real command `rechnungswerk recurring run --date ...` as separate
processes, exactly as an operator or the cron would:

  1. one process over all templates;
  2. two processes started together (the exactly-once check: every template billed once);
  3. two processes started together with every template in ONE organization (worst case
     for the gapless number sequence, whose row lock serializes the organization).

and prints a table. Wall time includes process start-up. The database is dropped at the end.
"""

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backend"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = f"rw_bench_recurring_{os.getpid()}_{secrets.token_hex(3)}"
DB_URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DB_NAME}"
RUN_DATE = date(2026, 12, 1)

os.environ["DATABASE_URL"] = DB_URL
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="rw-bench-")
os.environ.setdefault("ARQ_QUEUE_NAME", f"arq:bench:{DB_NAME}")
sys.path.insert(0, str(BACKEND))

LINES = [
    {"description": "Wartungspauschale", "quantity": "1", "unit_code": "C62", "unit_price": "100.00", "vat_rate": "19.00", "vat_category": "S"},
    {"description": "Hosting", "quantity": "2", "unit_code": "MON", "unit_price": "12.50", "vat_rate": "19.00", "vat_category": "S"},
    {"description": "Fachzeitschrift", "quantity": "1", "unit_code": "C62", "unit_price": "10.00", "vat_rate": "7.00", "vat_category": "S"},
]


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _seed(templates: int, orgs: int) -> None:
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
                "email": f"rechnung{i}@bench.example",
            }
            for i in range(orgs)
        ])
        org_ids = list(await s.scalars(select(Organization.id).order_by(Organization.id)))
        await s.execute(insert(Contact), [
            {"organization_id": o, "name": f"Kunde {o}-{k}", "street": "Marktplatz 5", "postal_code": "80331",
             "city": "München", "email": f"kunde{o}-{k}@bench.example"}
            for o in org_ids for k in range(5)
        ])
        contacts: dict[int, list[int]] = {}
        for cid, oid in (await s.execute(select(Contact.id, Contact.organization_id))).all():
            contacts.setdefault(oid, []).append(cid)
        rows = []
        for n in range(templates):
            oid = org_ids[n % len(org_ids)]
            rows.append({
                "organization_id": oid, "contact_id": contacts[oid][n % len(contacts[oid])],
                "name": f"Vertrag {n}", "frequency": "monthly", "start_date": RUN_DATE, "next_due": RUN_DATE,
                "next_index": 0, "occurrences_count": 0, "lines": LINES, "is_active": True,
                "auto_finalize": True, "auto_send": False,
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

    async with get_sessionmaker()() as s:
        invoices = await s.scalar(text("SELECT count(*) FROM invoices"))
        finalized = await s.scalar(text("SELECT count(*) FROM invoices WHERE status = 'open'"))
        occurrences = await s.scalar(text("SELECT count(*) FROM recurring_occurrences"))
        billed_twice = await s.scalar(text(
            "SELECT count(*) FROM (SELECT recurring_invoice_id, period_start FROM recurring_occurrences "
            "GROUP BY 1, 2 HAVING count(*) > 1) d"
        ))
        still_due = await s.scalar(text(
            "SELECT count(*) FROM recurring_invoices WHERE is_active AND next_due <= :d"
        ), {"d": RUN_DATE})
        # Gapless and unique: per organization, the numbers are exactly 1..count.
        gaps = await s.scalar(text(
            "SELECT count(*) FROM (SELECT organization_id, count(*) AS n, count(DISTINCT number) AS d, "
            "max(CAST(split_part(number, '-', 3) AS int)) AS hi FROM invoices WHERE number IS NOT NULL "
            "GROUP BY organization_id) x WHERE n <> d OR hi <> n"
        ))
    await dispose_engine()
    return {"invoices": invoices, "finalized": finalized, "occurrences": occurrences,
            "billed_twice": billed_twice, "still_due": still_due, "number_gaps": gaps}


def _run_processes(count: int, batch_size: int) -> tuple[float, list[str]]:
    cmd = [sys.executable, "-m", "app.cli", "recurring", "run", "--date", RUN_DATE.isoformat(),
           "--batch-size", str(batch_size)]
    started = time.perf_counter()
    procs = [subprocess.Popen(cmd, cwd=BACKEND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(count)]
    outputs = []
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"run failed ({p.returncode}):\n{out}\n{err}")
        outputs.append(out.strip())
    return time.perf_counter() - started, outputs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--templates", type=int, default=10_000)
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()

    asyncio.run(_admin(f'CREATE DATABASE "{DB_NAME}"'))
    try:
        from app.cli import migrate

        migrate()
        scenarios = [
            ("one run", 1, args.orgs),
            ("two runs together", 2, args.orgs),
            ("two runs, one organization", 2, 1),
        ]
        rows = []
        for label, processes, orgs in scenarios:
            asyncio.run(_seed(args.templates, orgs))
            seconds, outputs = _run_processes(processes, args.batch_size)
            check = asyncio.run(_check())
            rows.append((label, processes, orgs, seconds, check, outputs))

        print(f"\nRecurring run, {args.templates} due templates x 3 lines, batch size {args.batch_size}, "
              f"PostgreSQL, {os.cpu_count()} CPUs\n")
        head = f"{'scenario':<28}{'procs':>6}{'orgs':>6}{'wall s':>9}{'inv/s':>8}{'invoices':>10}{'finalized':>10}{'twice':>7}{'gaps':>6}{'left':>6}"
        print(head)
        print("-" * len(head))
        for label, processes, orgs, seconds, c, _ in rows:
            print(f"{label:<28}{processes:>6}{orgs:>6}{seconds:>9.1f}{c['invoices'] / seconds:>8.0f}{c['invoices']:>10}"
                  f"{c['finalized']:>10}{c['billed_twice']:>7}{c['number_gaps']:>6}{c['still_due']:>6}")
        print()
        for label, *_, outputs in rows:
            for out in outputs:
                print(f"  {label}: {out}")
        ok = all(c["invoices"] == args.templates and c["billed_twice"] == 0 and c["number_gaps"] == 0
                 and c["still_due"] == 0 for *_, c, _ in rows)
        print("\nexactly once:", "yes" if ok else "NO")
        if not ok:
            sys.exit(1)
    finally:
        from app.db import dispose_engine

        asyncio.run(dispose_engine())
        asyncio.run(_admin(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DB_NAME}' AND pid <> pg_backend_pid()"
        ))
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}"'))


if __name__ == "__main__":
    main()
