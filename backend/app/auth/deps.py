"""Who is calling: the dependencies every non-public endpoint declares."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select

from app import db
from app.auth.security import decode_access_token
from app.db import SessionDep
from app.errors import Forbidden, Unauthorized
from app.organizations.models import Membership, Organization, User

_bearer = HTTPBearer(auto_error=False)

# Built once: this runs on every authenticated request. The user row only gates (active,
# member of the organization); endpoints that need more of it load it (GET /api/auth/me).
_CALLER_QUERY = (
    select(Organization, Membership.role)
    .join(Membership, Membership.organization_id == Organization.id)
    .join(User, User.id == Membership.user_id)
    .where(User.id == bindparam("user_id"), Organization.id == bindparam("org_id"), User.is_active.is_(True))
)


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: int
    organization: Organization
    role: str

    @property
    def organization_id(self) -> int:
        return self.organization.id


async def _current_caller(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    unauthorized = Unauthorized(
        "Nicht angemeldet oder Sitzung abgelaufen", headers={"WWW-Authenticate": "Bearer"}
    )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized
    ids = decode_access_token(credentials.credentials)
    if ids is None:
        raise unauthorized
    user_id, org_id = ids
    params = {"user_id": user_id, "org_id": org_id}
    if db.autocommit_applies(session):
        # Checked on every request, before the endpoint's own transaction: on PostgreSQL
        # outside any transaction, which saves a BEGIN and a COMMIT round trip for endpoints
        # that then write with one self-committing statement (invoices.finalize_pg). The
        # organization stays in the session (expire_on_commit=False), so endpoints can still
        # change it in their transaction.
        await db.autocommit_connection(session)
        row = (await session.execute(_CALLER_QUERY, params)).first()
        await db.commit(session)
    else:
        row = (await session.execute(_CALLER_QUERY, params)).first()
    if row is None:
        raise unauthorized
    return Caller(user_id=user_id, organization=row[0], role=row[1])


CurrentCaller = Annotated[Caller, Depends(_current_caller)]


async def _admin_caller(caller: CurrentCaller) -> Caller:
    if caller.role not in ("owner", "admin"):
        raise Forbidden("Nur Inhaber und Administratoren dürfen das ändern")
    return caller


AdminCaller = Annotated[Caller, Depends(_admin_caller)]
