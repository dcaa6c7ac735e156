"""ARQ entry points of the recurring domain (registered in app.tasks.registry)."""

from typing import Any

from app.config import get_settings
from app.recurring import scheduler


async def daily_recurring_check(ctx: dict[str, Any]) -> dict[str, Any]:
    """The cron tick: runs the daily check once per Berlin day, at or after RECURRING_RUN_TIME."""
    result = await scheduler.cron_tick()
    return result.as_dict() if result is not None else {"ran": False}


def cron_jobs() -> list[tuple[Any, dict[str, Any]]]:
    return [
        (
            daily_recurring_check,
            {
                # ARQ keys cron jobs by name and time in one namespace for the whole Redis; the
                # queue name keeps installations (or test runs) that share a Redis apart, so one
                # cannot swallow another's tick.
                "name": f"cron:daily_recurring_check:{get_settings().arq_queue_name}",
                "minute": scheduler.cron_minutes(),
                "second": 0,
                # A worker that starts after the run time (deploy, outage) catches up at once.
                "run_at_startup": True,
                # Catching up a long outage can take a while; an interrupted run resumes anyway.
                "timeout": 3600,
            },
        )
    ]
