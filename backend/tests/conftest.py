"""Test setup: a private database per test session, migrated with Alembic (never
create_all), real Redis on this machine with a private queue name, and an ASGI client.

TEST_DATABASE=postgres (default) uses PostgreSQL on 127.0.0.1:5432; TEST_DATABASE=sqlite runs
the same code on a SQLite file (the smoke run of `make test`).
"""

import asyncio
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

_RUN_ID = f"{os.getpid()}_{secrets.token_hex(3)}"
_TMP = Path(tempfile.mkdtemp(prefix=f"rw-test-{_RUN_ID}-"))
_PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
_BACKEND = os.environ.get("TEST_DATABASE", "postgres")
_PG_DB = f"rw_test_{_RUN_ID}"

# Configure before anything imports app.config (settings are read once).
os.environ["ENVIRONMENT"] = "test"
os.environ["DATA_DIR"] = str(_TMP / "data")
os.environ["SECRET_KEY"] = "test-secret-" + "x" * 32
os.environ["ARQ_QUEUE_NAME"] = f"arq:test:{_RUN_ID}"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ["LOGIN_RATE_LIMIT"] = "1000/minute"
os.environ["REGISTER_RATE_LIMIT"] = "1000/minute"
os.environ["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "true"
os.environ["EMAIL_BACKEND"] = "file"
# Cheap password hashing: the tests register hundreds of users; the cost is not under test.
os.environ["PASSWORD_HASH_TIME_COST"] = "1"
os.environ["PASSWORD_HASH_MEMORY_KIB"] = "1024"
if _BACKEND == "sqlite":
    os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{_TMP / 'test.db'}"
else:
    os.environ["DATABASE_URL"] = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{_PG_DB}"


def _create_pg_database() -> None:
    import asyncpg

    async def _run() -> None:
        conn = await asyncpg.connect(_PG_ADMIN)
        try:
            await conn.execute(f'CREATE DATABASE "{_PG_DB}"')
        finally:
            await conn.close()

    asyncio.run(_run())


def _drop_pg_database() -> None:
    import asyncpg

    async def _run() -> None:
        conn = await asyncpg.connect(_PG_ADMIN)
        try:
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                _PG_DB,
            )
            await conn.execute(f'DROP DATABASE IF EXISTS "{_PG_DB}"')
        finally:
            await conn.close()

    asyncio.run(_run())


def pytest_configure(config: pytest.Config) -> None:
    if _BACKEND != "sqlite":
        _create_pg_database()
    from app.cli import migrate

    migrate()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _BACKEND != "sqlite":
        _drop_pg_database()
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture(scope="session")
def database_backend() -> str:
    return _BACKEND


@pytest.fixture(scope="session")
def tmp_root() -> Path:
    return _TMP


@pytest.fixture(scope="session")
def database_url() -> str:
    return os.environ["DATABASE_URL"]


@pytest.fixture(scope="session")
def app():  # type: ignore[no-untyped-def]
    from app.main import app as fastapi_app

    return fastapi_app


@pytest.fixture
async def client(app) -> AsyncIterator["object"]:  # type: ignore[no-untyped-def]
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def session() -> AsyncIterator["object"]:
    from app.db import get_sessionmaker

    async with get_sessionmaker()() as s:
        yield s
        await s.rollback()


@pytest.fixture(autouse=True, scope="session")
def _dispose_engine_at_end() -> Iterator[None]:
    yield
    from app.db import dispose_engine
    from app.tasks.queue import close_pool

    async def _close() -> None:
        await close_pool()
        await dispose_engine()

    try:
        asyncio.get_event_loop().run_until_complete(_close())
    except Exception:  # noqa: BLE001 - the loop may already be closed; the process ends anyway
        pass


from tests.fixtures.factories import *  # noqa: E402,F401,F403
