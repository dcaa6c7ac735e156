"""Webhooks end to end: API, fan-out in the business transaction, the real ARQ worker, a
receiver on 127.0.0.1 that verifies signatures with `standardwebhooks`, retries checked by
next_attempt_at while the clock is moved (time-machine), 410, redirects, SSRF."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app import events
from app.db import get_sessionmaker, rollback
from app.notifications.models import Notification
from app.tasks.queue import get_pool
from app.webhooks import delivery as webhook_delivery
from app.webhooks.delivery import BACKOFF
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.background.helpers import fetch_all, fetch_one, run_worker_until, scalars
from tests.fixtures.factories import Tenant


async def make_endpoint(tenant: Tenant, url: str, events_: list[str] | None = None) -> dict:
    r = await tenant.post("/api/webhooks", {"url": url, "events": events_ or ["invoice.finalized"], "description": "Buchhaltung"})
    assert r.status_code == 201, r.text
    return r.json()


async def delivery_rows(endpoint_id: int) -> list[WebhookDelivery]:
    return await scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id).order_by(WebhookDelivery.id))


async def attempts_of(delivery_id: int) -> list[WebhookAttempt]:
    return await scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.id))


def settled(endpoint_id: int, *, attempts: int | None = None, status: str | None = None):  # type: ignore[no-untyped-def]
    """Predicate: the endpoint's single delivery has made `attempts` and is not in flight."""

    async def check() -> bool:
        rows = await delivery_rows(endpoint_id)
        if not rows:
            return False
        d = rows[-1]
        if d.locked_until is not None:
            return False
        return (attempts is None or d.attempts == attempts) and (status is None or d.status == status)

    return check


# --- endpoint API -----------------------------------------------------------------------


async def test_endpoint_crud_secret_shown_once(tenant: Tenant, receiver) -> None:
    created = await make_endpoint(tenant, receiver.url + "/hook")
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["events"] == ["invoice.finalized"] and created["is_active"] is True

    got = await tenant.get(f"/api/webhooks/{created['id']}")
    assert got.status_code == 200 and "secret" not in got.json()
    listing = await tenant.get("/api/webhooks")
    assert [e["id"] for e in listing.json()] == [created["id"]]
    assert all("secret" not in e for e in listing.json())

    r = await tenant.patch(f"/api/webhooks/{created['id']}", {"events": ["invoice.paid", "invoice.paid"], "is_active": False})
    assert r.status_code == 200 and r.json()["events"] == ["invoice.paid"] and r.json()["is_active"] is False

    rotated = await tenant.post(f"/api/webhooks/{created['id']}/rotate-secret")
    assert rotated.status_code == 200 and rotated.json()["secret"] != created["secret"]

    assert (await tenant.delete(f"/api/webhooks/{created['id']}")).status_code == 204
    assert (await tenant.get(f"/api/webhooks/{created['id']}")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.org/hook", "events": ["invoice.paid"]}, "url"),
        ({"url": "https://user:pw@93.184.215.14/hook", "events": ["invoice.paid"]}, "url"),
        ({"url": "https://93.184.215.14/hook", "events": ["invoice.exploded"]}, "events"),
        ({"url": "https://93.184.215.14/hook", "events": []}, "events"),
        ({"events": ["invoice.paid"]}, "url"),
    ],
)
async def test_endpoint_validation_names_the_field(tenant: Tenant, body: dict, field: str) -> None:
    r = await tenant.post("/api/webhooks", body)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://10.1.2.3/hook",
        "http://192.168.178.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.7/hook",
        "http://[::1]:8080/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fd00::1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://localhost:8080/hook",  # a name that resolves to 127.0.0.1
    ],
)
async def test_ssrf_targets_refused_at_creation(tenant: Tenant, settings, url: str) -> None:
    settings.set(webhook_allow_private_targets=False)
    r = await tenant.post("/api/webhooks", {"url": url, "events": ["invoice.paid"]})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "url"


async def test_public_address_accepted_when_guarded(tenant: Tenant, settings) -> None:
    settings.set(webhook_allow_private_targets=False)
    r = await tenant.post("/api/webhooks", {"url": "https://93.184.215.14/hook", "events": ["invoice.paid"]})
    assert r.status_code == 201, r.text


# --- delivery ---------------------------------------------------------------------------


@pytest.mark.smoke  # also on SQLite in `make test`
async def test_event_fans_out_and_arrives_signed(tenant: Tenant, receiver) -> None:
    endpoint = await make_endpoint(tenant, receiver.url + "/hook", ["invoice.finalized", "invoice.paid"])
    other = await make_endpoint(tenant, receiver.url + "/other", ["invoice.paid"])
    receiver.secrets["/hook"] = endpoint["secret"]
    receiver.secrets["/other"] = other["secret"]

    invoice = await tenant.finalized_invoice()
    # Only the endpoint subscribed to invoice.finalized got a delivery (and not for invoice.created).
    assert len(await delivery_rows(endpoint["id"])) == 1
    assert await delivery_rows(other["id"]) == []

    await run_worker_until(settled(endpoint["id"], status="succeeded"), what="delivery")

    (got,) = [r for r in receiver.received if r.path == "/hook"]
    assert got.verified, "signature must verify with the standardwebhooks library"
    assert got.payload["type"] == "invoice.finalized"
    assert got.payload["id"] == got.webhook_id and got.webhook_id.startswith("evt_")
    assert got.payload["data"]["id"] == invoice["id"] and got.payload["data"]["number"] == invoice["number"]
    assert got.payload["data"]["gross_total"] == "1243.50"

    page = (await tenant.get(f"/api/webhooks/{endpoint['id']}/deliveries")).json()
    (d,) = page["items"]
    assert d["status"] == "succeeded" and d["attempts"] == 1 and d["response_code"] == 200
    assert d["event_id"] == got.webhook_id and d["next_attempt_at"] is None
    assert [a["status_code"] for a in d["attempt_log"]] == [200]
    assert d["attempt_log"][0]["outcome"] == "succeeded" and d["attempt_log"][0]["duration_ms"] >= 0


async def test_fan_out_rolls_back_with_the_business_transaction(tenant: Tenant, receiver) -> None:
    endpoint = await make_endpoint(tenant, receiver.url + "/hook", ["invoice.paid"])
    pool = await get_pool()
    from app.config import get_settings

    queued_before = await pool.zcard(get_settings().arq_queue_name)
    async with get_sessionmaker()() as session:
        await events.emit(session, tenant.organization_id, "invoice.paid", {"id": 1})
        inside = await session.scalar(
            select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint["id"])
        )
        assert inside == 1  # written in the caller's transaction...
        assert session.info.get("after_commit")  # ...with its enqueue waiting for the commit
        await rollback(session)
    assert await delivery_rows(endpoint["id"]) == []
    assert await pool.zcard(get_settings().arq_queue_name) == queued_before


async def test_retry_schedule_then_failed_with_notification(tenant: Tenant, receiver, client) -> None:
    receiver.default_status = 500
    endpoint = await make_endpoint(tenant, receiver.url + "/hook")
    receiver.secrets["/hook"] = endpoint["secret"]
    await tenant.finalized_invoice()
    (delivery,) = await delivery_rows(endpoint["id"])

    with time_machine.travel(delivery.next_attempt_at, tick=True) as clock:
        for attempt in range(1, 7):
            await run_worker_until(settled(endpoint["id"], attempts=attempt), what=f"attempt {attempt}")
            (row,) = await delivery_rows(endpoint["id"])
            log = await attempts_of(row.id)
            assert [a.attempt for a in log] == list(range(1, attempt + 1))
            assert log[-1].status_code == 500
            if attempt < 6:
                assert row.status == "pending"
                # The schedule: 1 min, 5 min, 30 min, 2 h, 24 h after each failed attempt.
                assert row.next_attempt_at == log[-1].created_at + BACKOFF[attempt - 1]
                # Not early: a job that runs before the delivery is due leaves it alone.
                clock.move_to(row.next_attempt_at - timedelta(seconds=20))
                assert await webhook_delivery.deliver(row.id) == "skipped"
                assert (await delivery_rows(endpoint["id"]))[0].attempts == attempt
                clock.move_to(row.next_attempt_at + timedelta(seconds=1))
            else:
                assert row.status == "failed" and row.next_attempt_at is None and row.failed_at is not None

    # Five retries after the first try, all signed with the same webhook-id.
    ids = receiver.verified_ids("/hook")
    assert len(ids) == 6 and len(set(ids)) == 1
    notes = await scalars(
        select(Notification).where(Notification.organization_id == tenant.organization_id, Notification.kind == "webhook_failed")
    )
    assert len(notes) == 1 and "6 Versuche" in notes[0].body
    # A receiver that keeps failing is not disabled; only 410 does that.
    assert (await fetch_one(select(WebhookEndpoint.is_active).where(WebhookEndpoint.id == endpoint["id"])))[0] is True


async def test_gone_disables_endpoint(tenant: Tenant, receiver) -> None:
    receiver.plan.append(410)
    endpoint = await make_endpoint(tenant, receiver.url + "/hook", ["invoice.finalized", "invoice.paid"])
    receiver.secrets["/hook"] = endpoint["secret"]
    invoice = await tenant.finalized_invoice()
    await run_worker_until(settled(endpoint["id"], status="failed"), what="410")

    ep = (await tenant.get(f"/api/webhooks/{endpoint['id']}")).json()
    assert ep["is_active"] is False and "410" in ep["disabled_reason"]
    kinds = [n.kind for n in await scalars(select(Notification).where(Notification.organization_id == tenant.organization_id))]
    assert "webhook_disabled" in kinds
    # No further deliveries to a disabled endpoint.
    assert (await tenant.post(f"/api/invoices/{invoice['id']}/mark-paid", {})).status_code == 200
    assert len(await delivery_rows(endpoint["id"])) == 1


async def test_redirect_is_not_followed(tenant: Tenant, receiver) -> None:
    endpoint = await make_endpoint(tenant, receiver.url + "/hook")
    receiver.secrets["/hook"] = endpoint["secret"]
    receiver.plan.append(("redirect", receiver.url + "/elsewhere"))
    await tenant.finalized_invoice()
    await run_worker_until(settled(endpoint["id"], attempts=1), what="first attempt")
    (row,) = await delivery_rows(endpoint["id"])
    assert row.status == "pending" and row.last_response_code == 302
    assert "Weiterleitung" in row.last_error
    assert [r.path for r in receiver.received] == ["/hook"]


async def test_timeout_counts_as_failed_attempt(tenant: Tenant, receiver, settings) -> None:
    settings.set(webhook_timeout_seconds=0.3)
    endpoint = await make_endpoint(tenant, receiver.url + "/hook")
    receiver.plan.append(("sleep", 3))
    await tenant.finalized_invoice()
    await run_worker_until(settled(endpoint["id"], attempts=1), what="first attempt")
    (row,) = await delivery_rows(endpoint["id"])
    (attempt,) = await attempts_of(row.id)
    assert row.status == "pending" and row.last_response_code is None
    assert "Zeitüberschreitung" in attempt.error and attempt.status_code is None
    assert row.next_attempt_at == attempt.created_at + BACKOFF[0]


async def test_ssrf_guard_at_connect_time(tenant: Tenant, receiver, settings) -> None:
    # Saved while private targets were allowed (or a DNS answer that changed since):
    # the check at connect time still refuses it.
    endpoint = await make_endpoint(tenant, receiver.url.replace("127.0.0.1", "localhost") + "/hook")
    settings.set(webhook_allow_private_targets=False)
    await tenant.finalized_invoice()
    await run_worker_until(settled(endpoint["id"], attempts=1), what="refused attempt")
    (row,) = await delivery_rows(endpoint["id"])
    (attempt,) = await attempts_of(row.id)
    assert "nicht öffentlich" in attempt.error and "localhost" in attempt.error
    assert receiver.count() == 0


async def test_test_event_and_redelivery_keep_the_webhook_id(tenant: Tenant, receiver) -> None:
    endpoint = await make_endpoint(tenant, receiver.url + "/hook", ["invoice.paid"])
    receiver.secrets["/hook"] = endpoint["secret"]
    r = await tenant.post(f"/api/webhooks/{endpoint['id']}/test")
    assert r.status_code == 202 and r.json()["event_type"] == "webhook.test" and r.json()["status"] == "pending"
    first = r.json()
    await run_worker_until(settled(endpoint["id"], status="succeeded"), what="test event")

    r = await tenant.post(f"/api/webhooks/deliveries/{first['id']}/redeliver")
    assert r.status_code == 202
    again = r.json()
    assert again["id"] != first["id"] and again["event_id"] == first["event_id"] and again["redelivery_of_id"] == first["id"]

    async def both_done() -> bool:
        return [d.status for d in await delivery_rows(endpoint["id"])] == ["succeeded", "succeeded"]

    await run_worker_until(both_done, what="redelivery")
    assert receiver.verified_ids("/hook") == [first["event_id"], first["event_id"]]
    assert receiver.received[0].payload["type"] == "webhook.test"
    # The delivery log lists both, newest first.
    page = (await tenant.get(f"/api/webhooks/{endpoint['id']}/deliveries")).json()
    assert [d["id"] for d in page["items"]] == [again["id"], first["id"]] and page["total"] == 2
    one = (await tenant.get(f"/api/webhooks/deliveries/{first['id']}")).json()
    assert one["status"] == "succeeded" and one["payload"]["id"] == first["event_id"]


async def test_other_organizations_get_404(tenant: Tenant, other_tenant: Tenant, receiver) -> None:
    endpoint = await make_endpoint(tenant, receiver.url + "/hook")
    delivery = (await tenant.post(f"/api/webhooks/{endpoint['id']}/test")).json()
    eid, did = endpoint["id"], delivery["id"]
    for method, url, body in [
        ("get", f"/api/webhooks/{eid}", None),
        ("patch", f"/api/webhooks/{eid}", {"description": "x"}),
        ("delete", f"/api/webhooks/{eid}", None),
        ("post", f"/api/webhooks/{eid}/test", None),
        ("post", f"/api/webhooks/{eid}/rotate-secret", None),
        ("get", f"/api/webhooks/{eid}/deliveries", None),
        ("get", f"/api/webhooks/deliveries/{did}", None),
        ("post", f"/api/webhooks/deliveries/{did}/redeliver", None),
    ]:
        kwargs = {"json": body} if body is not None else {}
        r = await getattr(other_tenant.client, method)(url, headers=other_tenant.headers, **kwargs)
        assert r.status_code == 404, (method, url, r.status_code)
    assert (await other_tenant.get("/api/webhooks")).json() == []
    # And the owner's endpoint is untouched.
    assert (await tenant.get(f"/api/webhooks/{eid}")).json()["description"] == "Buchhaltung"
    assert len(await fetch_all(select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == eid))) == 1


async def test_requires_login(client) -> None:
    assert (await client.get("/api/webhooks")).status_code == 401
    assert (await client.post("/api/webhooks", json={"url": "https://93.184.215.14/", "events": ["invoice.paid"]})).status_code == 401


async def test_fan_out_in_one_transaction_shares_one_job(tenant: Tenant, receiver) -> None:
    from arq.constants import job_key_prefix

    from app.kit.outbox import job_id

    endpoints = [await make_endpoint(tenant, f"{receiver.url}/hook{i}", ["invoice.finalized"]) for i in range(3)]
    await tenant.finalized_invoice()
    ids = [d.id for e in endpoints for d in await delivery_rows(e["id"])]
    assert len(ids) == 3
    pool = await get_pool()
    assert await pool.exists(job_key_prefix + job_id("wh-group", ids[0], 0))
    assert not any([await pool.exists(job_key_prefix + job_id("wh", i, 0)) for i in ids])

    async def all_done() -> bool:
        return all([(await delivery_rows(e["id"]))[0].status == "succeeded" for e in endpoints])

    await run_worker_until(all_done, what="fan-out")
    assert sorted(r.path for r in receiver.received) == ["/hook0", "/hook1", "/hook2"]
    assert len({r.webhook_id for r in receiver.received}) == 1


async def test_endpoint_deleted_mid_flight_does_not_break_the_batch(tenant: Tenant, receiver) -> None:
    doomed = await make_endpoint(tenant, receiver.url + "/doomed", ["invoice.finalized"])
    kept = await make_endpoint(tenant, receiver.url + "/kept", ["invoice.finalized"])
    await tenant.finalized_invoice()
    (d_doomed,) = await delivery_rows(doomed["id"])
    (d_kept,) = await delivery_rows(kept["id"])
    c1, c2 = await webhook_delivery.claim(d_doomed.id), await webhook_delivery.claim(d_kept.id)
    assert c1 is not None and c2 is not None
    assert (await tenant.delete(f"/api/webhooks/{doomed['id']}")).status_code == 204
    o1, o2 = await webhook_delivery.send(c1), await webhook_delivery.send(c2)
    await webhook_delivery._record_batch([o1, o2])
    assert (await delivery_rows(kept["id"]))[0].status == "succeeded"
    assert await delivery_rows(doomed["id"]) == []


@pytest.mark.smoke  # also on SQLite in `make test`
async def test_create_and_finalize_in_one_call_writes_both_events_with_id_and_number(tenant: Tenant, receiver) -> None:
    # On PostgreSQL this is one statement that fills in the new id and the drawn number
    # (app.invoices.finalize_pg); the rows must be those of the generic path.
    endpoint = await make_endpoint(tenant, receiver.url + "/hook", ["invoice.created", "invoice.finalized"])
    receiver.secrets["/hook"] = endpoint["secret"]
    invoice = await tenant.invoice(finalize=True)
    assert invoice["status"] == "open" and invoice["number"]

    async def both_sent() -> bool:
        rows = await delivery_rows(endpoint["id"])
        return len(rows) == 2 and all(d.status == "succeeded" for d in rows)

    await run_worker_until(both_sent, what="deliveries")
    got = sorted((r for r in receiver.received if r.path == "/hook"), key=lambda r: r.payload["type"])
    assert [r.payload["type"] for r in got] == ["invoice.created", "invoice.finalized"]
    for r in got:
        assert r.verified
        assert r.payload["data"]["id"] == invoice["id"] and r.payload["data"]["number"] == invoice["number"]

    audit = (await tenant.get(f"/api/invoices/{invoice['id']}/audit")).json()
    assert [(e["action"], e["details"]) for e in audit] == [
        ("created", {"gross_total": invoice["gross_total"]}),
        ("finalized", {"number": invoice["number"]}),
    ]
