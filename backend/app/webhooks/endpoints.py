"""Webhook endpoints (CRUD, test event) and the delivery log with manual redelivery."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.auth.deps import AdminCaller, CurrentCaller
from app.db import SessionDep
from app.events import EVENT_TYPES
from app.kit.pagination import PageDep
from app.webhooks import service
from app.webhooks.models import WebhookEndpoint
from app.webhooks.schemas import DeliveryPage, DeliveryRead, EndpointCreate, EndpointCreated, EndpointRead, EndpointUpdate

router = APIRouter(prefix="/api/webhooks", tags=["webhooks"])

StatusFilter = Annotated[str | None, Query(pattern="^(pending|succeeded|failed)$")]


def _created(endpoint: WebhookEndpoint) -> EndpointCreated:
    return EndpointCreated.model_validate(endpoint, from_attributes=True)


@router.get("/event-types", response_model=list[str])
async def event_types(caller: CurrentCaller) -> list[str]:
    return list(EVENT_TYPES)


@router.post("", status_code=201, response_model=EndpointCreated)
async def create_endpoint(body: EndpointCreate, session: SessionDep, caller: AdminCaller) -> EndpointCreated:
    return _created(await service.create_endpoint(session, caller.organization_id, body))


@router.get("", response_model=list[EndpointRead])
async def list_endpoints(session: SessionDep, caller: CurrentCaller) -> list[WebhookEndpoint]:
    return await service.list_endpoints(session, caller.organization_id)


@router.get("/{webhook_id}", response_model=EndpointRead)
async def get_endpoint(webhook_id: int, session: SessionDep, caller: CurrentCaller) -> WebhookEndpoint:
    return await service.get_endpoint(session, caller.organization_id, webhook_id)


@router.patch("/{webhook_id}", response_model=EndpointRead)
async def update_endpoint(webhook_id: int, body: EndpointUpdate, session: SessionDep, caller: AdminCaller) -> WebhookEndpoint:
    return await service.update_endpoint(session, caller.organization_id, webhook_id, body)


@router.delete("/{webhook_id}", status_code=204)
async def delete_endpoint(webhook_id: int, session: SessionDep, caller: AdminCaller) -> Response:
    await service.delete_endpoint(session, caller.organization_id, webhook_id)
    return Response(status_code=204)


@router.post("/{webhook_id}/rotate-secret", response_model=EndpointCreated)
async def rotate_secret(webhook_id: int, session: SessionDep, caller: AdminCaller) -> EndpointCreated:
    return _created(await service.rotate_secret(session, caller.organization_id, webhook_id))


@router.post("/{webhook_id}/test", status_code=202, response_model=DeliveryRead)
async def send_test(webhook_id: int, session: SessionDep, caller: AdminCaller) -> dict[str, Any]:
    delivery = await service.send_test_event(session, caller.organization_id, webhook_id)
    (out,) = await service.describe_deliveries(session, [delivery])
    return out


@router.get("/{webhook_id}/deliveries", response_model=DeliveryPage)
async def list_deliveries(
    webhook_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep, status: StatusFilter = None
) -> dict[str, Any]:
    items, total = await service.list_deliveries(
        session, caller.organization_id, webhook_id, status=status, limit=page.limit, offset=page.offset
    )
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset}


@router.get("/deliveries/{delivery_id}", response_model=DeliveryRead)
async def get_delivery(delivery_id: int, session: SessionDep, caller: CurrentCaller) -> dict[str, Any]:
    delivery = await service.get_delivery(session, caller.organization_id, delivery_id)
    (out,) = await service.describe_deliveries(session, [delivery])
    return out


@router.post("/deliveries/{delivery_id}/redeliver", status_code=202, response_model=DeliveryRead)
async def redeliver(delivery_id: int, session: SessionDep, caller: AdminCaller) -> dict[str, Any]:
    delivery = await service.redeliver(session, caller.organization_id, delivery_id)
    (out,) = await service.describe_deliveries(session, [delivery])
    return out
