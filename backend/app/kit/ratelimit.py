"""Rate limits with slowapi on Redis storage, so the limit holds across API processes."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from app.config import get_settings
from app.errors import error_body

_limiter: Limiter | None = None


def get_limiter() -> Limiter:
    global _limiter
    if _limiter is None:
        settings = get_settings()
        _limiter = Limiter(
            key_func=get_remote_address,
            storage_uri=settings.effective_rate_limit_storage_url,
            strategy="fixed-window",
            headers_enabled=False,
            key_prefix=f"rl:{settings.arq_queue_name}",
        )
    return _limiter


def reset_limiter() -> None:
    global _limiter
    _limiter = None


def retry_after_seconds(exc: RateLimitExceeded, request: Request) -> int:
    limiter = get_limiter()
    view_limit = getattr(request.state, "view_rate_limit", None)
    if view_limit is not None:
        try:
            reset_at, _remaining = limiter.limiter.get_window_stats(view_limit[0], *view_limit[1])
            import time

            return max(1, int(reset_at - time.time()) + 1)
        except Exception:  # noqa: BLE001 - a missing hint must not turn a 429 into a 500
            pass
    return 60


def install_rate_limiting(app: FastAPI) -> None:
    app.state.limiter = get_limiter()

    @app.exception_handler(RateLimitExceeded)
    async def _too_many(request: Request, exc: RateLimitExceeded) -> JSONResponse:
        retry = retry_after_seconds(exc, request)
        return JSONResponse(
            error_body(
                "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es erneut.",
                "rate_limited",
            ),
            status_code=429,
            headers={"Retry-After": str(retry)},
        )
