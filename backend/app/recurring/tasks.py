"""ARQ entry points of the recurring domain (registered in app.tasks.registry)."""

from typing import Any

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
                "minute": scheduler.cron_minutes(),
                "second": 0,
                # A worker that starts after the run time (deploy, outage) catches up at once.
                "run_at_startup": True,
                # Catching up a long outage can take a while; an interrupted run resumes anyway.
                "timeout": 3600,
            },
        )
    ]
