"""Nothing is lost: a worker process killed with SIGKILL mid-send, and Redis flushed
between enqueue and execution. Workers run as real subprocesses (`arq ...WorkerSettings`)."""

import signal

from arq import create_pool
from arq.connections import RedisSettings
from sqlalchemy import select

import app.tasks.queue as queue_module
from app.config import get_settings
from app.email.models import EmailAttempt
from app.tasks.queue import deserialize, serialize
from app.webhooks.models import WebhookAttempt
from tests.background.helpers import private_redis, scalars, wait_for, worker_process
from tests.background.test_email import queue, row
from tests.background.test_webhooks import attempts_of, delivery_rows, make_endpoint

# Short lease and sweep interval so recovery happens within seconds; the lease still
# exceeds the HTTP timeouts, as the settings insist.
FAST_RECOVERY = {"outbox_lease_seconds": 10, "email_timeout_seconds": 8, "webhook_timeout_seconds": 8, "outbox_sweep_seconds": 1}


async def test_worker_killed_mid_send_delivers_once_with_same_webhook_id(tenant, brevo, receiver, tmp_path) -> None:
    endpoint = await make_endpoint(tenant, receiver.url + "/hook")
    receiver.secrets["/hook"] = endpoint["secret"]
    # Brevo accepts the first request but the answer never comes; the receiver gets the
    # first delivery but never answers. Then the worker dies.
    brevo.plan.append("hang_after_accept")
    receiver.plan.append("hang_after_record")
    await tenant.finalized_invoice()
    email_id = await queue(tenant)

    with worker_process(tmp_path / "worker1.log", **FAST_RECOVERY) as first:

        async def both_in_flight() -> bool:
            return brevo.accepted_count() == 1 and receiver.count() == 1

        await wait_for(both_in_flight, timeout=60, what="both sends in flight")
        first.send_signal(signal.SIGKILL)
        first.wait(10)

    m = await row(email_id)
    (delivery,) = await delivery_rows(endpoint["id"])
    assert m.status == "sending" and m.attempts == 1
    assert delivery.status == "pending" and delivery.locked_until is not None

    with worker_process(tmp_path / "worker2.log", **FAST_RECOVERY):

        async def recovered() -> bool:
            m = await row(email_id)
            (d,) = await delivery_rows(endpoint["id"])
            return m.status == "sent" and d.status == "succeeded"

        await wait_for(recovered, timeout=90, what="recovery by a new worker")

    # The e-mail went out once: the retry carried the same idempotency key.
    assert brevo.accepted_count() == 1
    assert [a.outcome for a in await scalars(select(EmailAttempt).where(EmailAttempt.email_id == email_id))] == ["lost", "sent"]
    # The webhook arrived twice with one webhook-id, both signatures valid: the receiver can dedupe.
    ids = receiver.verified_ids("/hook")
    assert len(ids) == 2 and ids[0] == ids[1]
    (delivery,) = await delivery_rows(endpoint["id"])
    assert [a.outcome for a in await attempts_of(delivery.id)] == ["lost", "succeeded"]


async def test_sweeper_brings_back_jobs_lost_in_redis(tenant, brevo, receiver, tmp_path) -> None:
    with private_redis(tmp_path) as redis_url:
        private = await create_pool(
            RedisSettings.from_dsn(redis_url),
            job_serializer=serialize,
            job_deserializer=deserialize,
            default_queue_name=get_settings().arq_queue_name,
        )
        shared, queue_module._pool = queue_module._pool, private
        try:
            endpoint = await make_endpoint(tenant, receiver.url + "/hook")
            receiver.secrets["/hook"] = endpoint["secret"]
            await tenant.finalized_invoice()
            email_id = await queue(tenant)
            assert await private.zcard(get_settings().arq_queue_name) == 2  # both jobs were enqueued...
            await private.flushall()  # ...and Redis forgets them (a restart without persistence)
            assert await private.zcard(get_settings().arq_queue_name) == 0
        finally:
            queue_module._pool = shared
            await private.aclose()

        with worker_process(tmp_path / "worker.log", redis_url=redis_url, outbox_sweep_seconds=1):

            async def done() -> bool:
                (d,) = await delivery_rows(endpoint["id"])
                return (await row(email_id)).status == "sent" and d.status == "succeeded"

            await wait_for(done, timeout=60, what="the sweeper to re-enqueue the lost jobs")

    assert brevo.accepted_count() == 1
    assert len(receiver.verified_ids("/hook")) == 1
    (d,) = await delivery_rows(endpoint["id"])
    assert [a.outcome for a in await scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == d.id))] == ["succeeded"]
