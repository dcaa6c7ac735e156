from fastapi import APIRouter, Request

from app.auth import service
from app.auth.deps import CurrentCaller
from app.auth.schemas import LoginRequest, MeResponse, RegisterRequest, TokenResponse, UserRead
from app.auth.security import create_access_token
from app.config import get_settings
from app.db import SessionDep
from app.kit.ratelimit import get_limiter
from app.organizations.models import User

router = APIRouter(prefix="/api/auth", tags=["auth"])
limiter = get_limiter()


def _token(user_id: int, org_id: int) -> TokenResponse:
    token, expires_in = create_access_token(user_id, org_id)
    return TokenResponse(access_token=token, expires_in=expires_in, user_id=user_id, organization_id=org_id)


@router.post("/register", status_code=201, response_model=TokenResponse)
@limiter.limit(lambda: get_settings().register_rate_limit)
async def register(request: Request, body: RegisterRequest, session: SessionDep) -> TokenResponse:
    user, org = await service.register(
        session,
        email=body.email,
        password=body.password,
        full_name=body.full_name,
        organization_name=body.organization_name,
    )
    return _token(user.id, org.id)


@router.post("/login", response_model=TokenResponse)
@limiter.limit(lambda: get_settings().login_rate_limit)
async def login(request: Request, body: LoginRequest, session: SessionDep) -> TokenResponse:
    user, org_id = await service.authenticate(session, email=body.email, password=body.password)
    return _token(user.id, org_id)


@router.get("/me", response_model=MeResponse)
async def me(session: SessionDep, caller: CurrentCaller) -> MeResponse:
    user = await session.get_one(User, caller.user_id)
    return MeResponse(
        user=UserRead.model_validate(user),
        organization_id=caller.organization.id,
        organization_name=caller.organization.name,
        role=caller.role,
    )
