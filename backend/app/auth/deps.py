"""Who is calling: the dependencies every non-public endpoint declares."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select

from app.auth.security import decode_access_token
from app.db import SessionDep
from app.errors import Forbidden, Unauthorized
from app.organizations.models import Membership, Organization, User

_bearer = HTTPBearer(auto_error=False)

# Built once: this runs on every authenticated request.
_CALLER_QUERY = (
    select(User, Organization, Membership.role)
    .join(Membership, Membership.user_id == User.id)
    .join(Organization, Organization.id == Membership.organization_id)
    .where(User.id == bindparam("user_id"), Organization.id == bindparam("org_id"), User.is_active.is_(True))
)


@dataclass(frozen=True)
class Caller:
    user: User
    organization: Organization
    role: str

    @property
    def user_id(self) -> int:
        return self.user.id

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
    row = (await session.execute(_CALLER_QUERY, {"user_id": user_id, "org_id": org_id})).first()
    if row is None:
        raise unauthorized
    return Caller(user=row[0], organization=row[1], role=row[2])


CurrentCaller = Annotated[Caller, Depends(_current_caller)]


async def _admin_caller(caller: CurrentCaller) -> Caller:
    if caller.role not in ("owner", "admin"):
        raise Forbidden("Nur Inhaber und Administratoren dürfen das ändern")
    return caller


AdminCaller = Annotated[Caller, Depends(_admin_caller)]
