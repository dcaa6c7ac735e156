"""The cron tick: runs once per Berlin day at RECURRING_RUN_TIME (06:00), in winter and in
summer and on the days the clocks change, whatever time zone the worker runs in."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from arq.cron import next_cron

from app.kit.timeutil import BERLIN
from app.recurring import scheduler
from app.recurring.tasks import cron_jobs, daily_recurring_check
from tests.recurring.conftest import make_template


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("before", "at", "day"),
    [
        # An ordinary winter day: 06:00 CET is 05:00 UTC.
        (utc(2026, 2, 10, 4, 59), utc(2026, 2, 10, 5, 0), "2026-02-10"),
        # Last Sunday of March: clocks jump 02:00 -> 03:00; 06:00 CEST is 04:00 UTC.
        (utc(2026, 3, 29, 3, 59), utc(2026, 3, 29, 4, 0), "2026-03-29"),
        # Last Sunday of October: clocks go back 03:00 -> 02:00; 06:00 CET is 05:00 UTC.
        (utc(2026, 10, 25, 4, 59), utc(2026, 10, 25, 5, 0), "2026-10-25"),
    ],
)
async def test_tick_runs_at_six_berlin_time_on_ordinary_and_clock_change_days(tenant, before, at, day):
    # API calls stay outside the time travel (the login token is issued "now").
    tpl = await make_template(tenant, frequency="weekly", start_date=day)

    with time_machine.travel(before, tick=False):
        assert await daily_recurring_check({}) == {"ran": False}
    assert (await tenant.get(f"/api/recurring/{tpl['id']}")).json()["occurrences_count"] == 0

    with time_machine.travel(at, tick=False):
        outcome = await daily_recurring_check({})
    assert outcome["run_date"] == day and outcome["generated"] >= 1
    shown = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()
    assert shown["occurrences_count"] == 1 and shown["invoices"][0]["issue_date"] == day

    # Later ticks that day find the run finished and do nothing, even for a template
    # created in the meantime (it is billed by tomorrow's run, with its own period).
    later = await make_template(tenant, frequency="weekly", start_date=day)
    with time_machine.travel(at + timedelta(hours=5), tick=False):
        assert await daily_recurring_check({}) == {"ran": False}
    assert (await tenant.get(f"/api/recurring/{later['id']}")).json()["occurrences_count"] == 0
    with time_machine.travel(at + timedelta(days=1), tick=False):
        outcome = await daily_recurring_check({})
    assert outcome["generated"] >= 1
    assert (await tenant.get(f"/api/recurring/{later['id']}")).json()["invoices"][0]["period_start"] == day


async def test_a_worker_that_was_down_at_six_runs_the_check_at_its_next_tick(tenant):
    tpl = await make_template(tenant, start_date="2026-07-01")
    # 14:15 CEST: the worker came back after an outage.
    with time_machine.travel(utc(2026, 7, 1, 12, 15), tick=False):
        outcome = await daily_recurring_check({})
    assert outcome["run_date"] == "2026-07-01"
    assert (await tenant.get(f"/api/recurring/{tpl['id']}")).json()["occurrences_count"] == 1


@pytest.mark.parametrize("worker_zone", ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"])
@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25", "2026-01-15", "2026-07-15"])
def test_cron_schedule_fires_exactly_at_the_berlin_run_time(worker_zone, day):
    """ARQ evaluates cron fields in the worker's zone; the tick minutes must still include
    the moment Berlin reaches 06:00 (Kolkata is +05:30, St. John's -03:30 / -02:30)."""
    [(fn, options)] = cron_jobs()
    assert fn is daily_recurring_check
    zone = ZoneInfo(worker_zone)
    midnight = datetime.fromisoformat(day).replace(tzinfo=BERLIN)
    target = midnight.replace(hour=6)
    tick = midnight.astimezone(zone)
    first_at_or_after_target = None
    for _ in range(200):
        tick = next_cron(tick, minute=options["minute"], second=options["second"], microsecond=0)
        if tick.astimezone(BERLIN) >= target:
            first_at_or_after_target = tick
            break
    assert first_at_or_after_target is not None
    assert first_at_or_after_target.astimezone(UTC) == target.astimezone(UTC)


def test_run_time_setting(monkeypatch):
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "recurring_run_time", "07:30")
    assert scheduler.run_time().hour == 7 and scheduler.run_time().minute == 30
    assert scheduler.cron_minutes() == {0, 15, 30, 45}
    monkeypatch.setattr(get_settings(), "recurring_run_time", "05:10")
    assert scheduler.cron_minutes() == {10, 25, 40, 55}
    monkeypatch.setattr(get_settings(), "recurring_run_time", "halb sieben")
    with pytest.raises(ValueError, match="RECURRING_RUN_TIME"):
        scheduler.run_time()


async def test_a_real_worker_bills_a_template_due_today(tenant, tmp_path):
    """The whole chain: registry -> ARQ worker process -> cron tick -> scheduler -> invoice."""
    from sqlalchemy import delete, select

    from app.db import get_sessionmaker
    from app.kit.timeutil import today_berlin
    from app.recurring.models import RecurringRun
    from tests.background.helpers import wait_for, worker_process

    today = today_berlin()
    tpl = await make_template(tenant, start_date=today.isoformat())
    async with get_sessionmaker()() as s:
        # Another worker of this test session may already have done today's run.
        await s.execute(delete(RecurringRun).where(RecurringRun.run_date == today))
        await s.commit()

    async def run_finished() -> bool:
        async with get_sessionmaker()() as s:
            return await s.scalar(select(RecurringRun.finished_at).where(RecurringRun.run_date == today)) is not None

    # A run time that has passed: the tick at worker start-up runs today's check.
    with worker_process(tmp_path / "worker.log", recurring_run_time="00:00"):
        await wait_for(run_finished, timeout=60, what="the worker's recurring run")
    shown = (await tenant.get(f"/api/recurring/{tpl['id']}")).json()
    assert shown["occurrences_count"] == 1
    assert shown["invoices"][0]["period_start"] == today.isoformat() and shown["invoices"][0]["number"]
