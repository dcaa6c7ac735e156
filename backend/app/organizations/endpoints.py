from fastapi import APIRouter, UploadFile
from fastapi.responses import Response

from app.auth.deps import AdminCaller, CurrentCaller
from app.db import SessionDep
from app.errors import NotFound
from app.invoices.numbering import peek_next_number
from app.kit.timeutil import today_berlin
from app.organizations import service
from app.organizations.models import Organization
from app.organizations.schemas import OrganizationRead, OrganizationUpdate
from app.storage import FileMissing, get_storage, run

router = APIRouter(prefix="/api/organization", tags=["organization"])


async def _read(session: SessionDep, org: Organization) -> OrganizationRead:
    out = OrganizationRead.model_validate(org)
    out.has_logo = bool(org.logo_path)
    out.logo_url = "/api/organization/logo" if org.logo_path else None
    out.next_invoice_number = await peek_next_number(session, org.id, org.number_format, today_berlin())
    return out


@router.get("", response_model=OrganizationRead)
async def get_organization(session: SessionDep, caller: CurrentCaller) -> OrganizationRead:
    return await _read(session, caller.organization)


@router.patch("", response_model=OrganizationRead)
async def update_organization(body: OrganizationUpdate, session: SessionDep, caller: AdminCaller) -> OrganizationRead:
    service.apply_update(caller.organization, body)
    await session.flush()
    return await _read(session, caller.organization)


@router.post("/logo", response_model=OrganizationRead)
async def upload_logo(file: UploadFile, session: SessionDep, caller: AdminCaller) -> OrganizationRead:
    data = await file.read(service.MAX_LOGO_BYTES + 1)
    await service.store_logo(session, caller.organization, data)
    return await _read(session, caller.organization)


@router.delete("/logo", status_code=204)
async def delete_logo(session: SessionDep, caller: AdminCaller) -> Response:
    # The file stays: finalized invoices may have been rendered with it.
    caller.organization.logo_path = None
    await session.flush()
    return Response(status_code=204)


@router.get("/logo", response_class=Response, responses={200: {"content": {"image/png": {}, "image/jpeg": {}}}})
async def get_logo(caller: CurrentCaller) -> Response:
    path = caller.organization.logo_path
    if not path:
        raise NotFound("Kein Logo hinterlegt")
    try:
        data = await run(get_storage().read, path)
    except FileMissing:
        raise NotFound("Kein Logo hinterlegt") from None
    return Response(data, media_type="image/png" if path.endswith(".png") else "image/jpeg")
