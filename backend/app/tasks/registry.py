"""Which functions and cron jobs the worker runs; each domain contributes its own."""

from typing import Any


async def ping(ctx: dict[str, Any]) -> str:
    """Round trip through Redis and the worker; the smoke tests use it to prove jobs run."""
    return "pong"


def FUNCTIONS() -> list[Any]:  # noqa: N802 - reads like the ARQ setting it fills
    functions: list[Any] = [ping]
    return functions


def CRON_JOBS() -> list[tuple[Any, dict[str, Any]]]:  # noqa: N802
    from app.invoices.archive import archive_pending
    from app.recurring.tasks import cron_jobs as recurring_cron_jobs

    jobs: list[tuple[Any, dict[str, Any]]] = [
        # Every 5 seconds: finalized invoices get their PDF/XML archive shortly after.
        (archive_pending, {"second": set(range(0, 60, 5)), "run_at_startup": True, "timeout": 60}),
    ]
    jobs += recurring_cron_jobs()
    return jobs
