"""Exactly once across processes: two concurrent `rechnungswerk recurring run`, and a run
killed between two templates, then run again."""

import os
import re
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.db import get_sessionmaker
from app.invoices.models import Invoice
from app.recurring import periods
from app.recurring.models import RecurringInvoice, RecurringOccurrence
from tests.background.helpers import wait_for
from tests.fixtures.factories import register_tenant
from tests.recurring.conftest import make_template

BACKEND = Path(__file__).resolve().parents[2]


def start_run(day: str, *extra: str) -> subprocess.Popen[str]:
    # The child inherits DATABASE_URL (this session's private database) from conftest.
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "recurring", "run", "--date", day, *extra],
        cwd=BACKEND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )


def finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, f"{out}\n{err}"
    return out


def expected_periods(start: date, frequency: str, day: date) -> int:
    return len(periods.upcoming(start, frequency, from_index=0, count=1000, end_date=None, max_occurrences=None,
                                generated=0, starting_by=day))


async def numbers_by_org(org_ids: list[int]) -> dict[int, list[str]]:
    async with get_sessionmaker()() as s:
        rows = (await s.execute(
            select(Invoice.organization_id, Invoice.number).where(Invoice.organization_id.in_(org_ids))
        )).all()
    out: dict[int, list[str]] = {o: [] for o in org_ids}
    for org_id, number in rows:
        out[org_id].append(number)
    return out


@pytest.mark.smoke
async def test_two_concurrent_processes_bill_every_period_exactly_once(client):
    day = date(2026, 6, 30)
    schedules = [
        ("2026-01-31", "monthly"), ("2026-06-01", "weekly"), ("2026-01-01", "quarterly"),
        ("2026-06-30", "yearly"), ("2025-12-31", "half_yearly"), ("2026-05-15", "monthly"),
    ]
    tenants = [await register_tenant(client) for _ in range(3)]
    expected: dict[int, int] = {}
    for t in tenants:
        contact = await t.contact()
        for start, frequency in schedules:
            await make_template(t, contact["id"], start_date=start, frequency=frequency)
        expected[t.organization_id] = sum(expected_periods(date.fromisoformat(s), f, day) for s, f in schedules)
    assert expected[tenants[0].organization_id] == 6 + 5 + 2 + 1 + 2 + 2

    # Small batches make the two processes interleave many times.
    procs = [start_run(day.isoformat(), "--batch-size", "2") for _ in range(2)]
    outputs = [finish(p) for p in procs]
    reported = sum(int(re.search(r"(\d+) erzeugt", out).group(1)) for out in outputs)  # type: ignore[union-attr]
    assert reported == sum(expected.values())

    org_ids = [t.organization_id for t in tenants]
    numbers = await numbers_by_org(org_ids)
    for org_id in org_ids:
        # Exactly the expected invoices, numbered 1..n without gaps or repeats.
        counters = sorted(int(n.rsplit("-", 1)[1]) for n in numbers[org_id])
        assert counters == list(range(1, expected[org_id] + 1))
    async with get_sessionmaker()() as s:
        duplicates = await s.scalar(
            select(func.count()).select_from(
                select(RecurringOccurrence.recurring_invoice_id, RecurringOccurrence.period_start)
                .where(RecurringOccurrence.organization_id.in_(org_ids))
                .group_by(RecurringOccurrence.recurring_invoice_id, RecurringOccurrence.period_start)
                .having(func.count() > 1)
                .subquery()
            )
        )
        still_due = await s.scalar(
            select(func.count()).select_from(RecurringInvoice).where(
                RecurringInvoice.organization_id.in_(org_ids), RecurringInvoice.next_due <= day,
                RecurringInvoice.is_active.is_(True),
            )
        )
    assert duplicates == 0 and still_due == 0

    # And a third run finds nothing.
    assert "0 erzeugt" in finish(start_run(day.isoformat()))


async def test_a_run_killed_between_two_templates_is_completed_by_the_next_run(client, database_backend):
    if database_backend == "sqlite":
        pytest.skip("needs PostgreSQL row locks to stop the run at a chosen point")
    first, second = await register_tenant(client), await register_tenant(client)
    # The second organization finalizes an invoice by hand, so its number sequence row exists.
    await second.finalized_invoice()
    t1 = await make_template(first, name="Zuerst", start_date="2026-06-01")
    t2 = await make_template(second, name="Danach", start_date="2026-06-01")
    assert t1["id"] < t2["id"]

    maker = get_sessionmaker()
    blocker = maker()
    # Hold the second organization's number sequence: the run commits the first template
    # (batch size 1), then waits on this lock inside the second template's transaction.
    await blocker.execute(text(
        "SELECT id FROM invoice_number_sequences WHERE organization_id = :org FOR UPDATE"
    ), {"org": second.organization_id})
    proc = start_run("2026-06-01", "--batch-size", "1")
    try:
        async def first_committed() -> bool:
            async with maker() as s:
                return bool(await s.scalar(select(func.count()).select_from(RecurringOccurrence).where(
                    RecurringOccurrence.recurring_invoice_id == t1["id"])))

        waiting: list[int] = []

        async def run_waiting_on_lock() -> bool:
            async with maker() as s:
                waiting[:] = await s.scalars(text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                ))
            return bool(waiting)

        await wait_for(first_committed, timeout=60, what="the first template's commit")
        await wait_for(run_waiting_on_lock, timeout=60, what="the run to block in the second template")
        proc.send_signal(signal.SIGKILL)  # the crash
        proc.wait(timeout=30)
        async with maker() as s:
            # The dead process's server session would otherwise linger until it next writes.
            for pid in waiting:
                await s.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await blocker.rollback()
        await blocker.close()
        if proc.poll() is None:
            proc.kill()

    async with maker() as s:
        second_invoices = await s.scalar(select(func.count()).select_from(Invoice).where(
            Invoice.organization_id == second.organization_id))
        t2_row = await s.get(RecurringInvoice, t2["id"])
    assert second_invoices == 1  # only the hand-made one: no half invoice of the killed run
    assert t2_row is not None and t2_row.next_due == date(2026, 6, 1) and t2_row.occurrences_count == 0

    out = finish(start_run("2026-06-01"))
    assert "1 erzeugt" in out
    for tenant, tpl in ((first, t1), (second, t2)):
        shown = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()
        assert [i["period_start"] for i in shown["invoices"]] == ["2026-06-01"]
    numbers = await numbers_by_org([second.organization_id])
    assert sorted(numbers[second.organization_id]) == ["RE-2026-0001", "RE-2026-0002"]
