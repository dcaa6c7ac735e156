"""Webhook endpoints, the event fan-out and the delivery log (API side).

Every business event (`app.events.emit`) becomes one `WebhookEvent` and one
`WebhookDelivery` per active endpoint subscribed to its type, written in the transaction
that caused the event; the delivery jobs are enqueued only after that transaction commits
(and never if it rolls back). Sending happens in `app.webhooks.delivery` on the worker.

Functions take the session and the organization explicitly and only flush; the edge commits.
"""

import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import events
from app.config import get_settings
from app.db import tx_cache
from app.errors import NotFound, Unprocessable
from app.kit.netguard import check_target_url
from app.kit.outbox import enqueue_first_attempt_after_commit
from app.kit.timeutil import utcnow
from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from app.webhooks.schemas import TEST_EVENT, EndpointCreate, EndpointUpdate
from app.webhooks.signing import new_secret

DELIVER_FUNCTION = "deliver_webhook"
DELIVER_GROUP_FUNCTION = "deliver_webhooks"
JOB_KIND = "wh"


# --- endpoints --------------------------------------------------------------------------


async def _validated_url(url: str) -> str:
    try:
        return await check_target_url(url, allow_private=get_settings().effective_webhook_allow_private_targets)
    except ValueError as exc:
        raise Unprocessable(str(exc), field="url") from None


async def create_endpoint(session: AsyncSession, organization_id: int, body: EndpointCreate) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(
        organization_id=organization_id,
        url=await _validated_url(body.url),
        description=body.description.strip(),
        events=body.events,
        secret=new_secret(),
        is_active=body.is_active,
    )
    session.add(endpoint)
    await session.flush()
    return endpoint


async def list_endpoints(session: AsyncSession, organization_id: int) -> list[WebhookEndpoint]:
    rows = await session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.organization_id == organization_id).order_by(WebhookEndpoint.id)
    )
    return list(rows)


async def get_endpoint(session: AsyncSession, organization_id: int, endpoint_id: int) -> WebhookEndpoint:
    endpoint = await session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.organization_id == organization_id)
    )
    if endpoint is None:
        raise NotFound("Webhook-Endpunkt nicht gefunden")
    return endpoint


async def update_endpoint(
    session: AsyncSession, organization_id: int, endpoint_id: int, body: EndpointUpdate
) -> WebhookEndpoint:
    endpoint = await get_endpoint(session, organization_id, endpoint_id)
    if body.url is not None:
        endpoint.url = await _validated_url(body.url)
    if body.events is not None:
        endpoint.events = body.events
    if body.description is not None:
        endpoint.description = body.description.strip()
    if body.is_active is not None:
        endpoint.is_active = body.is_active
        if body.is_active:
            endpoint.disabled_reason = None
    endpoint.updated_at = utcnow()
    await session.flush()
    return endpoint


async def delete_endpoint(session: AsyncSession, organization_id: int, endpoint_id: int) -> None:
    endpoint = await get_endpoint(session, organization_id, endpoint_id)
    await session.delete(endpoint)
    await session.flush()


async def rotate_secret(session: AsyncSession, organization_id: int, endpoint_id: int) -> WebhookEndpoint:
    endpoint = await get_endpoint(session, organization_id, endpoint_id)
    endpoint.secret = new_secret()
    endpoint.updated_at = utcnow()
    await session.flush()
    return endpoint


# --- events and deliveries --------------------------------------------------------------


def new_event_id() -> str:
    return "evt_" + secrets.token_urlsafe(18)


def render_payload(public_id: str, event_type: str, created_at: datetime, data: dict[str, Any]) -> str:
    """The exact body sent (and signed) on every attempt of every delivery of this event."""
    return json.dumps(
        {"id": public_id, "type": event_type, "created_at": created_at.isoformat().replace("+00:00", "Z"), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


async def _create_deliveries(
    session: AsyncSession,
    organization_id: int,
    event_type: str,
    data: dict[str, Any],
    endpoint_ids: list[int],
    *,
    event: WebhookEvent | None = None,
    redelivery_of_id: int | None = None,
) -> list[WebhookDelivery]:
    now = utcnow()
    if event is None:
        public_id = new_event_id()
        event = WebhookEvent(
            organization_id=organization_id,
            public_id=public_id,
            type=event_type,
            payload=render_payload(public_id, event_type, now, data),
            created_at=now,
        )
        session.add(event)
        await session.flush()
    deliveries = [
        WebhookDelivery(
            organization_id=organization_id,
            endpoint_id=endpoint_id,
            event_id=event.id,
            event_type=event_type,
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
            redelivery_of_id=redelivery_of_id,
        )
        for endpoint_id in endpoint_ids
    ]
    session.add_all(deliveries)
    await session.flush()
    for delivery in deliveries:
        # After commit; a fan-out shares one job (see enqueue_first_attempt_after_commit).
        enqueue_first_attempt_after_commit(session, JOB_KIND, DELIVER_FUNCTION, DELIVER_GROUP_FUNCTION, delivery.id)
    return deliveries


@events.subscribe
async def fan_out(session: AsyncSession, organization_id: int, event_type: str, data: dict[str, Any]) -> None:
    """Subscriber of app.events: one delivery per active endpoint that wants this type."""
    # One look-up per transaction and organization: creating and finalizing an invoice in
    # one request emits two events, and the endpoints cannot change in between.
    cache: dict[int, list[Any]] = tx_cache(session).setdefault("webhook_endpoints", {})
    rows = cache.get(organization_id)
    if rows is None:
        rows = cache[organization_id] = (
            await session.execute(
                select(WebhookEndpoint.id, WebhookEndpoint.events).where(
                    WebhookEndpoint.organization_id == organization_id, WebhookEndpoint.is_active.is_(True)
                )
            )
        ).all()
    targets = [endpoint_id for endpoint_id, wanted in rows if event_type in (wanted or [])]
    if targets:
        await _create_deliveries(session, organization_id, event_type, data, targets)


# --- the fan-out as part of one PostgreSQL statement --------------------------------------
#
# The hot invoice writes (app.invoices.finalize_pg) are one autocommit statement each; these
# CTEs are their share of it: the same rows fan_out writes (one event, one delivery per
# active endpoint that wants its type; no event row when no endpoint wants it), with the
# endpoints read by the statement itself. The statement must define `inv(id)` and
# `num(number)`: the invoice id and number, which replace :id_hole and :number_hole in each
# payload (the number is NULL for a draft).

OUTBOX_CTES = """
wh_events AS (
    INSERT INTO webhook_events (organization_id, public_id, type, payload, created_at)
    SELECT CAST(:org AS integer), e.public_id, e.type,
           replace(
               replace(e.payload, CAST(:number_hole AS text), coalesce(to_json(num.number)::text, 'null')),
               CAST(:id_hole AS text), inv.id::text
           ),
           CAST(:now AS timestamptz)
    FROM num, inv,
         unnest(CAST(:wh_ids AS text[]), CAST(:wh_types AS text[]), CAST(:wh_payloads AS text[]))
             WITH ORDINALITY AS e(public_id, type, payload, ord)
    WHERE EXISTS (
        SELECT FROM webhook_endpoints w
        WHERE w.organization_id = CAST(:org AS integer) AND w.is_active
          AND CAST(w.events AS jsonb) @> jsonb_build_array(e.type)
    )
    ORDER BY e.ord
    RETURNING id, type
),
wh_deliveries AS (
    INSERT INTO webhook_deliveries (
        organization_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, created_at, updated_at
    )
    SELECT CAST(:org AS integer), w.id, ev.id, ev.type, 'pending', 0,
           CAST(:now AS timestamptz), CAST(:now AS timestamptz), CAST(:now AS timestamptz)
    FROM wh_events ev
    JOIN webhook_endpoints w
      ON w.organization_id = CAST(:org AS integer) AND w.is_active
     AND CAST(w.events AS jsonb) @> jsonb_build_array(ev.type)
    ORDER BY ev.id, w.id
    RETURNING id
)"""


def outbox_params(events_: list[tuple[str, dict[str, Any]]], now: datetime) -> dict[str, Any]:
    """Parameters of OUTBOX_CTES for these (event type, data) pairs, in this order."""
    assert all(event_type in events.EVENT_TYPES for event_type, _ in events_)
    ids = [new_event_id() for _ in events_]
    return {
        "wh_ids": ids,
        "wh_types": [event_type for event_type, _ in events_],
        "wh_payloads": [render_payload(i, t, now, data) for i, (t, data) in zip(ids, events_, strict=True)],
    }


def enqueue_after_commit(session: AsyncSession, delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        enqueue_first_attempt_after_commit(session, JOB_KIND, DELIVER_FUNCTION, DELIVER_GROUP_FUNCTION, delivery_id)


async def send_test_event(session: AsyncSession, organization_id: int, endpoint_id: int) -> WebhookDelivery:
    """A `webhook.test` event to this one endpoint, whatever it subscribed to."""
    endpoint = await get_endpoint(session, organization_id, endpoint_id)
    data = {
        "message": "Test-Ereignis von RechnungsWerk. Wenn die Signatur stimmt, ist Ihr Endpunkt richtig eingerichtet.",
        "endpoint_id": endpoint.id,
    }
    (delivery,) = await _create_deliveries(session, organization_id, TEST_EVENT, data, [endpoint.id])
    return delivery


async def get_delivery(session: AsyncSession, organization_id: int, delivery_id: int) -> WebhookDelivery:
    delivery = await session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id, WebhookDelivery.organization_id == organization_id)
    )
    if delivery is None:
        raise NotFound("Zustellung nicht gefunden")
    return delivery


async def redeliver(session: AsyncSession, organization_id: int, delivery_id: int) -> WebhookDelivery:
    """A new delivery of the same event (same payload, same webhook-id) to the same endpoint.

    A new row rather than a reset of the old one keeps the old attempt log intact and
    gives the new try its own full retry schedule.
    """
    original = await get_delivery(session, organization_id, delivery_id)
    endpoint = await get_endpoint(session, organization_id, original.endpoint_id)
    if not endpoint.is_active:
        raise Unprocessable(
            "Der Endpunkt ist deaktiviert; aktivieren Sie ihn zuerst wieder", field="endpoint_id", code="endpoint_disabled"
        )
    event = await session.get(WebhookEvent, original.event_id)
    assert event is not None
    (delivery,) = await _create_deliveries(
        session, organization_id, original.event_type, {}, [endpoint.id], event=event, redelivery_of_id=original.id
    )
    return delivery


async def list_deliveries(
    session: AsyncSession, organization_id: int, endpoint_id: int, *, status: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    await get_endpoint(session, organization_id, endpoint_id)  # 404 for other organizations
    stmt = select(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.organization_id == organization_id
    )
    if status:
        stmt = stmt.where(WebhookDelivery.status == status)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    deliveries = list(await session.scalars(stmt.order_by(WebhookDelivery.id.desc()).limit(limit).offset(offset)))
    return await describe_deliveries(session, deliveries), total


async def describe_deliveries(session: AsyncSession, deliveries: list[WebhookDelivery]) -> list[dict[str, Any]]:
    """Deliveries with their event and attempt log, in three queries for the whole page."""
    if not deliveries:
        return []
    ids = [d.id for d in deliveries]
    event_rows = (
        await session.execute(
            select(WebhookEvent.id, WebhookEvent.public_id, WebhookEvent.payload).where(
                WebhookEvent.id.in_({d.event_id for d in deliveries})
            )
        )
    ).all()
    events_by_id = {row.id: row for row in event_rows}
    attempts: dict[int, list[WebhookAttempt]] = {i: [] for i in ids}
    for attempt in await session.scalars(
        select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids)).order_by(WebhookAttempt.id)
    ):
        attempts[attempt.delivery_id].append(attempt)
    out = []
    for d in deliveries:
        event = events_by_id[d.event_id]
        out.append(
            {
                "id": d.id,
                "endpoint_id": d.endpoint_id,
                "event_id": event.public_id,
                "event_type": d.event_type,
                "status": d.status,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at if d.status == DeliveryStatus.PENDING else None,
                "response_code": d.last_response_code,
                "last_error": d.last_error,
                "created_at": d.created_at,
                "succeeded_at": d.succeeded_at,
                "failed_at": d.failed_at,
                "redelivery_of_id": d.redelivery_of_id,
                "payload": json.loads(event.payload),
                "attempt_log": attempts[d.id],
            }
        )
    return out
