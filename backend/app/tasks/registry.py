"""Which functions and cron jobs the worker runs; each domain contributes its own."""

from typing import Any

from arq import func

from app.config import get_settings
from app.email.tasks import send_email, send_emails, sweep_emails
from app.webhooks.tasks import deliver_webhook, deliver_webhooks, sweep_webhooks


async def ping(ctx: dict[str, Any]) -> str:
    """Round trip through Redis and the worker; the smoke tests use it to prove jobs run."""
    return "pong"


def FUNCTIONS() -> list[Any]:  # noqa: N802 - reads like the ARQ setting it fills
    functions: list[Any] = [ping]
    # Each send is bounded by its HTTP timeout; the job timeout only catches a hang. The
    # outcome lives in the database, so ARQ need not keep results (one Redis write less).
    functions += [
        func(send_email, timeout=120, keep_result=0),
        func(send_emails, timeout=300, keep_result=0),
        func(deliver_webhook, timeout=120, keep_result=0),
        func(deliver_webhooks, timeout=300, keep_result=0),
    ]
    return functions


def _every(seconds: int) -> set[int]:
    return set(range(0, 60, seconds))


def CRON_JOBS() -> list[tuple[Any, dict[str, Any]]]:  # noqa: N802
    from app.invoices.archive import archive_pending
    from app.recurring.tasks import cron_jobs as recurring_cron_jobs

    settings = get_settings()
    # Cron job ids are global keys in Redis, like job ids; the queue name keeps two
    # installations (or test runs) on one Redis from swallowing each other's runs.
    queue = settings.arq_queue_name
    jobs: list[tuple[Any, dict[str, Any]]] = [
        # Every 5 seconds: finalized invoices get their PDF/XML archive shortly after.
        (
            archive_pending,
            {"second": _every(5), "run_at_startup": True, "timeout": 60, "name": f"cron:{queue}:archive_pending"},
        ),
    ]
    sweep = {"second": _every(settings.outbox_sweep_seconds), "run_at_startup": True, "timeout": 300}
    jobs += [
        (sweep_emails, {**sweep, "name": f"cron:{queue}:sweep_emails"}),
        (sweep_webhooks, {**sweep, "name": f"cron:{queue}:sweep_webhooks"}),
    ]
    jobs += recurring_cron_jobs()
    return jobs
