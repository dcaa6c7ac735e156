"""The portal's own small PostgreSQL pool for the public hot path.

A portal view is one statement in autocommit (see service._HIT_POSTGRES). Through the app's
engine it would cost two more round trips per request: its pool pings every checkout
(BEGIN + ROLLBACK with asyncpg) and switching a connection to autocommit and back is work
too. This pool is autocommit from the start and does not ping; a connection that went
stale (PostgreSQL restarted) fails once, is invalidated, and the caller retries on a fresh
one (`retrying`).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from app.config import get_settings

_engine: AsyncEngine | None = None


def is_postgres() -> bool:
    return get_settings().effective_database_url.startswith("postgresql")


def get_portal_engine() -> AsyncEngine:
    global _engine
    if _engine is None:
        _engine = create_async_engine(
            get_settings().effective_database_url,
            isolation_level="AUTOCOMMIT",
            pool_size=5,
            max_overflow=15,
            pool_pre_ping=False,
        )
    return _engine


async def dispose_portal_engine() -> None:
    global _engine
    if _engine is not None:
        await _engine.dispose()
    _engine = None


@asynccontextmanager
async def connection() -> AsyncIterator[AsyncConnection]:
    async with get_portal_engine().connect() as conn:
        yield conn


def is_stale_connection(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError) and exc.connection_invalidated
