"""Share links for the signed-in seller, and the public portal (`/api/portal/*`, no auth).

Every public route carries `@portal_limit` (one limit shared by all of them, keyed by the
token) and takes `request` first, as slowapi requires.
"""

import re
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from app.auth.deps import CurrentCaller
from app.db import SessionDep
from app.invoices.service import Actor
from app.kit.pagination import Page, PageDep
from app.portal import service
from app.portal.models import InvoiceShareLink
from app.portal.ratelimit import portal_limit
from app.portal.schemas import (
    ConfirmPayment,
    PortalAccessRead,
    PortalConfirmation,
    PortalInvoice,
    SendInvoiceEmail,
    SendInvoiceEmailAccepted,
    ShareLinkCreate,
    ShareLinkRead,
)

router = APIRouter(prefix="/api/invoices", tags=["portal"])
public_router = APIRouter(prefix="/api/portal", tags=["portal (public)"])

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_ERRORS = {
    404: {"description": "Link unbekannt, zurückgezogen oder ungültig (code `link_not_found`)"},
    422: {"description": "Link abgelaufen (code `link_expired`) oder ungültige Eingabe"},
    429: {"description": "Zu viele Anfragen für diesen Link; siehe `Retry-After`"},
}


def _read(link: InvoiceShareLink) -> ShareLinkRead:
    return ShareLinkRead(
        url=service.share_url(link.token),
        token=link.token,
        expires_at=link.expires_at,
        created_at=link.created_at,
        is_expired=service.is_expired(link),
        access_count=link.access_count,
        last_accessed_at=link.last_accessed_at,
    )


# --- seller side ---------------------------------------------------------------------------


@router.get("/{invoice_id}/share-link", response_model=ShareLinkRead | None)
async def get_share_link(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> ShareLinkRead | None:
    """The invoice's current link (possibly expired: see `is_expired`), or null when it has
    none; 404 only when the invoice itself is not found."""
    link = await service.link_for_seller(session, caller.organization_id, invoice_id)
    return _read(link) if link is not None else None


@router.post(
    "/{invoice_id}/share-link",
    status_code=201,
    response_model=ShareLinkRead,
    responses={200: {"model": ShareLinkRead, "description": "Der bestehende gültige Link"}},
)
async def create_share_link(
    invoice_id: int, session: SessionDep, caller: CurrentCaller, response: Response, body: ShareLinkCreate | None = None
) -> ShareLinkRead:
    body = body or ShareLinkCreate()
    link, created = await service.ensure_link(
        session, caller.organization_id, invoice_id, Actor.user(caller.user_id),
        expires_in_days=body.expires_in_days, regenerate=body.regenerate,
    )
    if not created:
        response.status_code = 200
    return _read(link)


@router.delete("/{invoice_id}/share-link", status_code=204)
async def revoke_share_link(invoice_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    await service.revoke(session, caller.organization_id, invoice_id, Actor.user(caller.user_id))
    return Response(status_code=204)


@router.post("/{invoice_id}/send-email", status_code=202, response_model=SendInvoiceEmailAccepted)
async def send_invoice_email(
    invoice_id: int, body: SendInvoiceEmail, session: SessionDep, caller: CurrentCaller
) -> SendInvoiceEmailAccepted:
    email, link = await service.send_invoice_email(
        session, caller.organization, invoice_id, Actor.user(caller.user_id),
        to=body.to, subject=body.subject, message=body.message,
    )
    return SendInvoiceEmailAccepted(email_id=email.id, status="queued", share_url=service.share_url(link.token))


@router.get("/{invoice_id}/portal-activity", response_model=Page[PortalAccessRead])
async def portal_activity(invoice_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep) -> Page[PortalAccessRead]:
    rows, total = await service.activity(session, caller.organization_id, invoice_id, limit=page.limit, offset=page.offset)
    return Page(items=[PortalAccessRead.model_validate(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


# --- public portal -------------------------------------------------------------------------


class _Json(JSONResponse):
    """A body the service already serialized (app.portal.render): nothing validates or
    serializes it again. A JSONResponse subclass, so the OpenAPI document still shows the
    declared response_model (FastAPI documents other response classes as a plain string)."""

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):
            return content
        return content.encode() if isinstance(content, str) else super().render(content)


@public_router.get("/{token}", response_model=PortalInvoice, response_class=_Json, responses=_ERRORS)
@portal_limit
async def portal_view(request: Request, token: str) -> Response:
    # No SessionDep: the service opens a unit of work only when it needs one (first view).
    return _Json(await service.view(request, token))


@public_router.post("/{token}/confirm-payment", response_model=PortalConfirmation, response_class=_Json, responses=_ERRORS)
@portal_limit
async def portal_confirm_payment(
    request: Request, token: str, session: SessionDep, body: ConfirmPayment | None = None
) -> Response:
    return _Json(await service.confirm_payment(session, request, token, body or ConfirmPayment()))


def _attachment(download: service.Download) -> Response:
    headers = {
        "ETag": f'"{download.sha256}"',
        # The archive never changes; the link may stop working, a saved copy may not.
        "Cache-Control": "private, max-age=86400",
    }
    if download.data is None:
        return Response(status_code=304, headers=headers)
    # A number format may contain anything; the plain filename= stays a safe token.
    plain = _UNSAFE.sub("_", download.file_name)
    headers["Content-Disposition"] = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(download.file_name)}"
    return Response(download.data, media_type=download.media_type, headers=headers)


_FILE = {200: {"content": {"application/pdf": {}, "application/xml": {}}}, 304: {"description": "Unverändert (If-None-Match)"}}


@public_router.get("/{token}/download-pdf", response_class=Response, responses={**_ERRORS, **_FILE})
@portal_limit
async def portal_download_pdf(request: Request, token: str, session: SessionDep) -> Response:
    return _attachment(await service.download(session, request, token, "pdf"))


@public_router.get("/{token}/download-xml", response_class=Response, responses={**_ERRORS, **_FILE})
@portal_limit
async def portal_download_xml(
    request: Request,
    token: str,
    session: SessionDep,
    syntax: Annotated[Literal["ubl", "cii"], Query(description="XRechnung-Syntax")] = "ubl",
) -> Response:
    return _attachment(await service.download(session, request, token, syntax))


@public_router.get(
    "/{token}/logo", response_class=Response, responses={**_ERRORS, 200: {"content": {"image/png": {}, "image/jpeg": {}}}}
)
@portal_limit
async def portal_logo(request: Request, token: str, session: SessionDep) -> Response:
    data, media_type = await service.logo(session, request, token)
    # Content-addressed in storage: the bytes behind one invoice's logo never change.
    return Response(data, media_type=media_type, headers={"Cache-Control": "private, max-age=86400"})
