"""Shared pieces of the benchmarks: result rows, the table, servers, a lean HTTP client.

Every bench module exposes `run() -> list[Row]`; `bench/run_all.py` (what `make bench`
calls) prints all rows as one table. Benchmarks measure; tests never assert timings.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backend"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class Row:
    name: str
    value: float
    unit: str
    target: str
    ok: bool
    note: str = ""


def print_table(rows: list[Row]) -> None:
    headers = ("Benchmark", "Ergebnis", "Ziel", "OK", "Bemerkung")
    cells = [
        (r.name, f"{r.value:,.1f} {r.unit}".replace(",", " "), r.target, "ja" if r.ok else "NEIN", r.note) for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "+".join("-" * (w + 2) for w in widths)
    print("+" + line + "+")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    print("+" + line + "+")
    for c in cells:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(c, widths)) + " |")
    print("+" + line + "+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def fresh_pg_database(name: str) -> str:
    """Drop and create a database for one benchmark; returns its SQLAlchemy URL."""
    import asyncpg

    async def _run() -> None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name
            )
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(_run())
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


def bench_env(database_url: str, tmp: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DATA_DIR": str(tmp),
            "ENVIRONMENT": "development",
            "ARQ_QUEUE_NAME": f"arq:bench:{os.getpid()}",
            "LOGIN_RATE_LIMIT": "100000/minute",
            "REGISTER_RATE_LIMIT": "100000/minute",
            "PASSWORD_HASH_TIME_COST": "1",
            "PASSWORD_HASH_MEMORY_KIB": "1024",
        }
    )
    env.update(extra)
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=env, check=True, cwd=BACKEND, stdout=subprocess.DEVNULL)


def start_api(env: dict[str, str], workers: int = 2, *, reuse_port: bool = False) -> tuple[subprocess.Popen[bytes], int]:
    """The API on a free port. `reuse_port`: see _REUSE_PORT_SERVER."""
    port = free_port()
    if reuse_port:
        cmd = [sys.executable, "-c", _REUSE_PORT_SERVER, str(port), str(workers)]
    else:
        cmd = [
            sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--no-access-log", "--log-level", "warning",
        ]
    proc = subprocess.Popen(cmd, env=env, cwd=BACKEND)
    wait_for_port(port)
    return proc, port


# `uvicorn --workers N` shares ONE listening socket: whichever worker wakes first accepts
# every connection that is waiting. A load generator opening its keep-alive connections at
# once therefore often lands all of them on one worker, and the result swings by a factor of
# two from run to run (one core idle or not). Here every worker is a uvicorn server with its
# own SO_REUSEPORT socket on the same port, so the kernel spreads connections across them
# (Linux); the workers are the same processes uvicorn would run.
_REUSE_PORT_SERVER = """
import multiprocessing, os, signal, socket, sys
import uvicorn

def serve(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config("app.main:app", access_log=False, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])

if __name__ == "__main__":
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    ctx = multiprocessing.get_context("fork")  # nothing but uvicorn imported yet
    procs = [ctx.Process(target=serve, args=(port,)) for _ in range(workers)]
    for p in procs:
        p.start()
    def stop(*_):
        for p in procs:
            p.terminate()
    signal.signal(signal.SIGTERM, stop)
    for p in procs:
        p.join()
"""


class LeanClient:
    """A minimal HTTP/1.1 keep-alive client. The load generator shares two cores with the
    server, so it must cost as little CPU per request as possible (httpx costs ~10x more)."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        assert self.reader and self.writer
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{self.headers}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        chunked = False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            lname = name.strip().lower()
            if lname == b"content-length":
                length = int(value.strip())
            elif lname == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            data = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                data += await self.reader.readexactly(size)
                await self.reader.readline()
            return status, data
        return status, await self.reader.readexactly(length)

    async def close(self) -> None:
        if self.writer:
            self.writer.close()
