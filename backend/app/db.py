"""Database engine, the declarative base, and the request session (commit at the edge).

One transaction per request or task: services only `flush`; the edge (the session
dependency, a task, the CLI) commits, and runs what was registered to happen after commit
(enqueueing jobs), so a job never runs for a change that was rolled back.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from app.config import get_settings
from app.kit.timeutil import as_utc, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _: Any) -> None:
        # pysqlite's own transaction handling fights ours; take control of BEGIN.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that later wants to
        # write fails instantly with "database is locked" instead of waiting its turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str | None = None, **kwargs: Any) -> AsyncEngine:
    url = url or get_settings().effective_database_url
    if url.startswith("sqlite"):
        engine = create_async_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    # Connections beyond pool_size are closed after use; under load that means a new
    # connection per request, so keep the steady pool large enough for the concurrency.
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 10)
    # No pre-ping: it costs a round trip per request. Stale connections are recycled by age
    # and a failed statement invalidates its connection anyway.
    kwargs.setdefault("pool_recycle", 1800)
    return create_async_engine(url, **kwargs)


def get_engine() -> AsyncEngine:
    global _engine, _sessionmaker
    if _engine is None:
        _engine = make_engine()
        _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    get_engine()
    assert _sessionmaker is not None
    return _sessionmaker


async def dispose_engine() -> None:
    global _engine, _sessionmaker
    if _engine is not None:
        await _engine.dispose()
    _engine = None
    _sessionmaker = None
    await _close_log_pool()


# --- PostgreSQL: a small asyncpg pool for access logging --------------------------------
# The portal's hot path (app.portal.service.view) runs ONE statement per request that counts
# the access, writes the access log and reads the link's state. Through SQLAlchemy that
# statement costs about three times its asyncpg cost, so it goes to asyncpg directly, on
# sessions with `synchronous_commit = off`: such a commit does not wait for the WAL flush. A
# PostgreSQL crash (not an app crash) can lose the last fraction of a second of what was
# committed this way, never part of a statement and never anything else's commit. Only for
# writes whose loss is acceptable: view counters and log lines, never business state.

_log_pool: tuple[Any, Any] | None = None  # (event loop, asyncpg.Pool | Task creating it)


async def get_log_pool() -> Any:
    """The process's asyncpg pool (synchronous_commit off), made on first use in this loop."""
    import asyncio

    global _log_pool
    loop = asyncio.get_running_loop()
    if _log_pool is None or _log_pool[0] is not loop:
        import asyncpg
        from sqlalchemy.engine import make_url

        url = make_url(get_settings().effective_database_url).set(drivername="postgresql")
        async def _create() -> Any:
            return await asyncpg.create_pool(
                url.render_as_string(hide_password=False),
                min_size=1,
                max_size=10,
                server_settings={"synchronous_commit": "off", "application_name": "rechnungswerk-log"},
            )

        creating = loop.create_task(_create())
        _log_pool = (loop, creating)
    holder = _log_pool[1]
    if isinstance(holder, asyncio.Task):
        try:
            pool = await asyncio.shield(holder)
        except BaseException:
            if _log_pool is not None and _log_pool[1] is holder and holder.done():
                _log_pool = None  # let the next request try again
            raise
        if _log_pool is not None and _log_pool[1] is holder:
            _log_pool = (loop, pool)
        return pool
    return holder


async def _close_log_pool() -> None:
    import asyncio

    global _log_pool
    held, _log_pool = _log_pool, None
    if held is None:
        return
    loop, holder = held
    try:
        if loop is not asyncio.get_running_loop():
            return  # its loop is gone; the connections went with it
        pool = await holder if isinstance(holder, asyncio.Task) else holder
        await pool.close()
    except Exception:  # noqa: BLE001 - closing is best effort (the pool may never have connected)
        pass


AfterCommit = Callable[[], Awaitable[None]]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run `callback` once the session's transaction has committed; never on rollback."""
    session.info.setdefault("after_commit", []).append(callback)


def tx_cache(session: AsyncSession) -> dict[str, Any]:
    """A dict that lives as long as the current transaction (cleared by commit/rollback):
    for look-ups that cannot change within one unit of work."""
    return session.info.setdefault("tx_cache", {})


async def commit(session: AsyncSession) -> None:
    """Commit and then run the after-commit callbacks (e.g. enqueue jobs)."""
    callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    session.info.pop("tx_cache", None)
    await session.commit()
    for cb in callbacks:
        await cb()


def autocommit_applies(session: AsyncSession) -> bool:
    """PostgreSQL: reads may run outside a transaction (see autocommit_connection). Not SQLite,
    whose connections BEGIN IMMEDIATE on every begin (_configure_sqlite)."""
    return session.bind is not None and session.bind.dialect.name == "postgresql"


async def autocommit_connection(session: AsyncSession) -> AsyncConnection:
    """The session's connection in autocommit mode (PostgreSQL), until the next commit.

    For reads that need no transaction: under READ COMMITTED every statement sees its own
    snapshot anyway, so a transaction around plain SELECTs only adds a BEGIN and a COMMIT
    round trip. Also for the one self-committing statement of finalize_pg. Whatever the
    session had begun is committed first; a second call in the same block reuses the
    connection. Nothing written through the session in this mode is atomic: use it for
    reads, or for writes that are one statement.
    """
    cache = tx_cache(session)
    conn: AsyncConnection | None = cache.get("autocommit_connection")
    if conn is None:
        await commit(session)
        conn = await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        tx_cache(session)["autocommit_connection"] = conn
    return conn


async def rollback(session: AsyncSession) -> None:
    session.info.pop("after_commit", None)
    session.info.pop("tx_cache", None)
    await session.rollback()


@asynccontextmanager
async def session_scope() -> AsyncIterator[AsyncSession]:
    """A unit of work outside a request (tasks, CLI): commit on success, else roll back."""
    async with get_sessionmaker()() as session:
        try:
            yield session
            await commit(session)
        except BaseException:
            await rollback(session)
            raise


async def _request_session() -> AsyncIterator[AsyncSession]:
    async with get_sessionmaker()() as session:
        try:
            yield session
            await commit(session)
        except BaseException:
            await rollback(session)
            raise


# scope="function": the commit runs before the response is sent, so a failing commit
# becomes an error answer instead of a 200 for something that was never saved.
SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]
