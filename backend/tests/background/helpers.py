"""Running the real ARQ worker in tests: in this process (for time travel) or as a subprocess
(for SIGKILL), plus a private redis-server for tests that flush Redis."""

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from arq import cron
from arq.worker import Worker

from app.config import get_settings
from app.tasks.queue import deserialize, redis_settings, serialize
from app.tasks.registry import CRON_JOBS, FUNCTIONS

BACKEND_DIR = Path(__file__).resolve().parents[2]


async def wait_for(predicate: Callable[[], Awaitable[bool]], timeout: float = 30, what: str = "condition") -> None:
    """Poll until `predicate()`; the timeout only bounds a broken test, it asserts nothing about speed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def run_worker_until(
    predicate: Callable[[], Awaitable[bool]], *, timeout: float = 30, crons: bool = True, what: str = "condition"
) -> None:
    """Run a real ARQ worker (this process, this loop, the private test queue) until `predicate()`."""
    settings = get_settings()
    worker = Worker(
        functions=FUNCTIONS(),
        cron_jobs=[cron(fn, **kw) for fn, kw in CRON_JOBS()] if crons else [],
        redis_settings=redis_settings(),
        queue_name=settings.arq_queue_name,
        job_serializer=serialize,
        job_deserializer=deserialize,
        handle_signals=False,
        max_jobs=settings.worker_max_jobs,
        poll_delay=0.05,
        keep_result=60,
    )
    main = asyncio.create_task(worker.async_run())
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not await predicate():
            if main.done():
                main.result()
                raise AssertionError("worker stopped")
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.05)
    finally:
        # Stop picking jobs, let the running ones finish, then stop the worker.
        worker.allow_pick_jobs = False
        end = asyncio.get_running_loop().time() + 20
        while any(not t.done() for t in worker.tasks.values()) and asyncio.get_running_loop().time() < end:
            await asyncio.sleep(0.02)
        main.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await main
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await worker.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def worker_env(**overrides: Any) -> dict[str, str]:
    """The test run's configuration for a worker subprocess (same database, queue, data dir)."""
    env = dict(os.environ)
    s = get_settings()
    env.update(
        {
            "DATABASE_URL": s.effective_database_url,
            "REDIS_URL": s.redis_url,
            "ARQ_QUEUE_NAME": s.arq_queue_name,
            "DATA_DIR": str(s.data_dir),
            "EMAIL_BACKEND": s.email_backend,
            "BREVO_API_URL": s.brevo_api_url,
            "BREVO_API_KEY": s.brevo_api_key,
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true" if s.effective_webhook_allow_private_targets else "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({k.upper(): str(v) for k, v in overrides.items()})
    return env


@contextlib.contextmanager
def worker_process(log_path: Path, **overrides: Any) -> Iterator[subprocess.Popen[bytes]]:
    """`arq app.tasks.worker.WorkerSettings` as a subprocess; killed (SIGKILL) on exit if still alive."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "arq", "app.tasks.worker.WorkerSettings"],
        cwd=BACKEND_DIR,
        env=worker_env(**overrides),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        log.close()


@contextlib.contextmanager
def private_redis(tmp: Path) -> Iterator[str]:
    """A redis-server of our own, so a test may FLUSHALL without touching the shared one."""
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed"
    port = free_port()
    proc = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 10
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.time() > deadline:
                raise RuntimeError("private redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


async def fetch_all(stmt: Any) -> list[Any]:
    """Rows of `stmt`, read in a fresh session so they reflect what is committed now."""
    from app.db import get_sessionmaker

    async with get_sessionmaker()() as session:
        return list((await session.execute(stmt)).all())


async def fetch_one(stmt: Any) -> Any:
    rows = await fetch_all(stmt)
    assert len(rows) == 1, rows
    return rows[0]


async def scalars(stmt: Any) -> list[Any]:
    from app.db import get_sessionmaker

    async with get_sessionmaker()() as session:
        return list(await session.scalars(stmt))
