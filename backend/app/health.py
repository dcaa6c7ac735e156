from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from redis.asyncio import Redis
from sqlalchemy import text

from app.config import get_settings
from app.db import get_sessionmaker
from app.tasks import heartbeat

router = APIRouter(tags=["health"])

_redis: Redis | None = None


def _get_redis() -> Redis:
    global _redis
    if _redis is None:
        _redis = Redis.from_url(get_settings().redis_url, socket_timeout=2, socket_connect_timeout=2)
    return _redis


class Health(BaseModel):
    status: str
    db: str
    redis: str
    worker: str


@router.get("/api/health", response_model=Health)
async def health() -> JSONResponse:
    db = redis = "error"
    worker = "down"
    try:
        async with get_sessionmaker()() as session:
            await session.execute(text("SELECT 1"))
        db = "ok"
    except Exception:  # noqa: BLE001 - health reports, it does not raise
        pass
    try:
        r = _get_redis()
        await r.ping()
        redis = "ok"
        worker = "ok" if await heartbeat.is_alive(r) else "down"
    except Exception:  # noqa: BLE001
        pass
    ok = db == "ok" and redis == "ok"
    body = {"status": "ok" if ok else "error", "db": db, "redis": redis, "worker": worker}
    return JSONResponse(body, status_code=200 if ok else 503)
