"""Portal rate limits, on the app's slowapi Limiter (Redis storage, shared by all API
processes).

- Per token, across every portal route: `portal_limit` decorates each public endpoint with
  one shared slowapi limit (scope "portal") keyed by the token, not the IP, so a customer
  behind a busy office NAT is never throttled by colleagues, and a leaked link cannot be
  hammered from many addresses. Costs one Redis round trip per request.
- Per IP, only for tokens that do not exist (unknown, revoked, malformed): counted after the
  lookup missed. Once exhausted, misses answer 429 instead of 404, so a scanner learns
  nothing more and is told to back off, while a valid link from the same address still
  opens. Valid requests never pay for this counter.
"""

import inspect
from functools import lru_cache
from typing import Any

from fastapi import Request
from limits import RateLimitItem, parse
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address
from slowapi.wrappers import Limit

from app.config import get_settings
from app.kit.ratelimit import get_limiter
from app.portal.tokens import normalize_token

SCOPE = "portal"
UNKNOWN_SCOPE = "portal-unknown-token"


def token_key(request: Request) -> str:
    token = normalize_token(request.path_params.get("token", ""))
    # A malformed token has no bucket of its own (anyone could invent endless ones): it is
    # counted per address instead. slowapi skips a limit whose key is empty, so never "".
    return token or f"malformed:{get_remote_address(request)}"


# slowapi asks inspect.signature(key_func) on every request (does it take the request?);
# a precomputed __signature__ answers that in a fifth of the time.
token_key.__signature__ = inspect.signature(token_key)  # type: ignore[attr-defined]


# A fixed string, parsed once at startup: a callable would be parsed again on every request.
portal_limit = get_limiter().shared_limit(get_settings().portal_rate_limit, scope=SCOPE, key_func=token_key)


@lru_cache(maxsize=16)
def _item(value: str) -> RateLimitItem:
    return parse(value)


def _limit_wrapper(item: RateLimitItem) -> Limit:
    return Limit(item, get_remote_address, UNKNOWN_SCOPE, False, None, None, None, 1, True)


def count_unknown_token(request: Request) -> None:
    """Count a miss for the caller's address; raise 429 once the address is over its limit."""
    limiter = get_limiter()
    item = _item(get_settings().portal_unknown_token_rate_limit)
    args: list[Any] = [get_remote_address(request), UNKNOWN_SCOPE]
    prefix = getattr(limiter, "_key_prefix", "")
    if prefix:
        args = [prefix, *args]
    if not limiter.limiter.hit(item, *args):
        # The shared 429 handler reads this to compute Retry-After for the right window.
        request.state.view_rate_limit = (item, args)
        raise RateLimitExceeded(_limit_wrapper(item))
