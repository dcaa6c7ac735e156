"""Password hashing (Argon2id) and signed, expiring bearer tokens (JWT, HS256)."""

from datetime import timedelta
from functools import lru_cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import get_settings
from app.kit.timeutil import utcnow

_settings = get_settings()
_hasher = PasswordHasher(
    time_cost=_settings.password_hash_time_cost, memory_cost=_settings.password_hash_memory_kib, parallelism=2
)
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Used when the e-mail is unknown, so that a login attempt costs the same time either way
# and response times do not reveal which addresses have accounts.
DUMMY_HASH = _hasher.hash("timing-equaliser")


def create_access_token(user_id: int, organization_id: int) -> tuple[str, int]:
    settings = get_settings()
    expires_in = settings.access_token_expire_minutes * 60
    now = utcnow()
    payload = {
        "sub": str(user_id),
        "org": organization_id,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=expires_in)).timestamp()),
    }
    return jwt.encode(payload, settings.secret_key, algorithm=ALGORITHM), expires_in


def decode_access_token(token: str) -> tuple[int, int] | None:
    claims = _decode_cached(token)
    if claims is None:
        return None
    user_id, org_id, exp = claims
    if exp <= utcnow().timestamp():
        return None
    return user_id, org_id


@lru_cache(maxsize=4096)
def _decode_cached(token: str) -> tuple[int, int, int] | None:
    # Every request carries the same token for hours: verify its signature once per process.
    # The expiry is checked on every call above, outside the cache.
    try:
        payload = jwt.decode(
            token,
            get_settings().secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"], "verify_exp": False},
        )
        return int(payload["sub"]), int(payload["org"]), int(payload["exp"])
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None
