from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.security import DUMMY_HASH, hash_password, verify_password
from app.errors import Conflict, Unauthorized
from app.organizations.models import Membership, Organization, User


async def register(
    session: AsyncSession, *, email: str, password: str, full_name: str, organization_name: str
) -> tuple[User, Organization]:
    exists = await session.scalar(select(User.id).where(User.email == email))
    if exists is not None:
        raise Conflict("Diese E-Mail-Adresse ist bereits registriert", field="email", code="email_taken")
    user = User(email=email, password_hash=hash_password(password), full_name=full_name)
    org = Organization(name=organization_name, email=email, contact_name=full_name, country_code="DE")
    session.add_all([user, org])
    await session.flush()
    session.add(Membership(user_id=user.id, organization_id=org.id, role="owner"))
    await session.flush()
    return user, org


async def authenticate(session: AsyncSession, *, email: str, password: str) -> tuple[User, int]:
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        verify_password(DUMMY_HASH, password)
        raise Unauthorized("E-Mail-Adresse oder Passwort ist falsch", code="invalid_credentials")
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise Unauthorized("E-Mail-Adresse oder Passwort ist falsch", code="invalid_credentials")
    org_id = await session.scalar(
        select(Membership.organization_id).where(Membership.user_id == user.id).order_by(Membership.id).limit(1)
    )
    if org_id is None:
        raise Unauthorized("Dieses Konto gehört zu keiner Organisation", code="no_organization")
    return user, org_id
