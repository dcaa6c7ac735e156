"""E-mail status for the seller, Brevo's event webhook, and the logo image used in mails."""

import base64
import hmac
import json
import mimetypes
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth.deps import CurrentCaller
from app.config import get_settings
from app.db import SessionDep
from app.email import delivery_events, service
from app.email.models import EmailStatus
from app.email.schemas import BrevoEventsAccepted, EmailPage, EmailRead
from app.email.templates import logo_signature
from app.errors import NotFound, Unauthorized, Unprocessable
from app.kit.pagination import PageDep
from app.organizations.models import Organization
from app.storage import FileMissing, StorageError, get_storage, run

router = APIRouter(prefix="/api/emails", tags=["emails"])
# Called by Brevo, not by a signed-in user: public, protected by BREVO_WEBHOOK_TOKEN.
brevo_router = APIRouter(prefix="/api/brevo", tags=["emails"])

StatusFilter = Annotated[
    str | None, Query(pattern=f"^({'|'.join((EmailStatus.QUEUED, EmailStatus.SENDING, EmailStatus.SENT, EmailStatus.FAILED))})$")
]


@router.get("", response_model=EmailPage)
async def list_emails(
    session: SessionDep, caller: CurrentCaller, page: PageDep, invoice_id: int | None = None, status: StatusFilter = None
) -> dict[str, Any]:
    items, total = await service.list_emails(
        session, caller.organization_id, invoice_id=invoice_id, status=status, limit=page.limit, offset=page.offset
    )
    return {
        "items": await service.describe(session, items, with_log=False),
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
    }


@router.get("/{email_id}", response_model=EmailRead)
async def get_email(email_id: int, session: SessionDep, caller: CurrentCaller) -> dict[str, Any]:
    message = await service.get_email(session, caller.organization_id, email_id)
    (out,) = await service.describe(session, [message], with_log=True)
    return out


def _token_from(request: Request) -> str | None:
    if token := request.query_params.get("token"):
        return token
    if token := request.headers.get("x-brevo-token"):
        return token
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    if scheme.lower() == "basic" and value:
        # Brevo can call https://user:token@host/...; the password is the token.
        try:
            return base64.b64decode(value).decode().partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            return None
    return None


@brevo_router.post("/events", response_model=BrevoEventsAccepted)
async def brevo_events(request: Request, session: SessionDep) -> dict[str, int]:
    """Brevo's transactional webhook. Public, protected by BREVO_WEBHOOK_TOKEN, given as
    `?token=`, `X-Brevo-Token`, `Authorization: Bearer` or the password of Basic auth."""
    token = _token_from(request)
    expected = get_settings().brevo_webhook_token
    if not token or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("Ungültiges Webhook-Token", code="invalid_token")
    try:
        body = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Unprocessable("Ungültiges JSON", field="body") from None
    events = body if isinstance(body, list) else [body]
    if not all(isinstance(e, dict) for e in events):
        raise Unprocessable("Erwartet ein Ereignis-Objekt oder eine Liste davon", field="body")
    return await delivery_events.apply_events(session, events)


@router.get("/logo/{organization_id}/{signature}", include_in_schema=False)
async def email_logo(organization_id: int, signature: str, session: SessionDep) -> Response:
    """The seller's logo for e-mails: public (mail clients fetch it) but only with the
    signature that `templates.logo_url` put into the mail."""
    org = await session.get(Organization, organization_id)
    if org is None or not org.logo_path:
        raise NotFound("Nicht gefunden")
    if not hmac.compare_digest(logo_signature(org.id, org.logo_path), signature):
        raise NotFound("Nicht gefunden")
    try:
        data = await run(get_storage().read, org.logo_path)
    except (FileMissing, StorageError):
        raise NotFound("Nicht gefunden") from None
    media_type = mimetypes.guess_type(org.logo_path)[0] or "application/octet-stream"
    return Response(data, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})
