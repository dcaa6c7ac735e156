#!/usr/bin/env python3
"""The web app's end-to-end tests against the real stack, started and torn down here.

    .venv/bin/python scripts/e2e-stack.py [playwright args…]     (what `make test` runs)
    .venv/bin/python scripts/e2e-stack.py --keep -- --project=real e2e/real/invoices.spec.ts

For one run it creates a private PostgreSQL database (rw_e2e_<pid>), a private ARQ queue and
rate-limit namespace on the shared Redis, and a temporary DATA_DIR; migrates; starts the API
(uvicorn), the ARQ worker and `next start` (the existing production build) on free ports on
127.0.0.1, with the file e-mail backend; waits until the API reports the worker alive; runs
Playwright (`npx playwright test`) with the stack's addresses in E2E_* variables; and tears
everything down again, also when the tests fail or the run is interrupted. Other engineers
run tests on the same machine at the same time, hence nothing shared and no fixed ports.

On failure the last lines of each server's log are printed; `--keep` leaves the logs and
the data directory in place (the database is always dropped).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# E2E_BACKEND_DIR runs the web app's tests against another backend checkout (e.g. a branch
# exported with `git archive`), with this repository's virtualenv.
BACKEND = Path(os.environ.get("E2E_BACKEND_DIR") or ROOT / "backend").resolve()
FRONTEND = ROOT / "frontend"
VENV_BIN = ROOT / ".venv" / "bin"
PG_ADMIN_URL = os.environ.get("E2E_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/0")


def log(msg: str) -> None:
    print(f"e2e-stack: {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(n: int) -> list[int]:
    # Hold all sockets open while choosing, so the n ports are distinct.
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def pg(sql: str) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


class Stack:
    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.tmp = Path(tempfile.mkdtemp(prefix="rw-e2e-"))
        self.data_dir = self.tmp / "data"
        self.data_dir.mkdir()
        self.db = f"rw_e2e_{os.getpid()}"
        self.procs: list[tuple[str, subprocess.Popen[bytes], Path]] = []
        self.api_port, self.web_port, self.mock_api_port, self.mock_web_port = free_ports(4)
        self.db_created = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            ENVIRONMENT="test",
            DATABASE_URL=f"postgresql+asyncpg://postgres@127.0.0.1:5432/{self.db}",
            REDIS_URL=REDIS_URL,
            # The queue name also namespaces the rate-limit keys (app/kit/ratelimit.py).
            ARQ_QUEUE_NAME=f"rw_e2e_{os.getpid()}",
            DATA_DIR=str(self.data_dir),
            EMAIL_BACKEND="file",
            WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
            API_BASE_URL=self.api_url,
            PUBLIC_BASE_URL=self.web_url,
            CORS_ORIGINS=f'["{self.web_url}"]',
            # Every test registers its own seller; the production limits would stop the suite.
            REGISTER_RATE_LIMIT="10000/hour",
            LOGIN_RATE_LIMIT="10000/minute",
            # Argon2 at production cost is ~0.1 s of CPU per login on this machine; tests
            # register dozens of users on two cores.
            PASSWORD_HASH_TIME_COST="1",
            PASSWORD_HASH_MEMORY_KIB="8192",
            PYTHONUNBUFFERED="1",
            # The backend of BACKEND, whatever the virtualenv's editable install points at.
            PYTHONPATH=str(BACKEND),
            # One page view of the portal is several requests (page, logo, downloads); the
            # production limit (10/minute per link) is tested with the mock portal API.
            PORTAL_RATE_LIMIT="600/minute",
        )
        env.pop("PORT", None)
        return env

    def start(self, name: str, cmd: list[str], cwd: Path, env: dict[str, str]) -> None:
        logfile = self.tmp / f"{name}.log"
        fh = logfile.open("wb")
        # A session of its own, so teardown can stop the process and its children (npm → node)
        # by this process group's id, and Ctrl-C in the terminal reaches only us.
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((name, proc, logfile))

    def wait_for(self, url: str, what: str, timeout: float, check=None) -> None:  # type: ignore[no-untyped-def]
        deadline = time.time() + timeout
        last = ""
        while time.time() < deadline:
            for name, proc, _ in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode} while waiting for {what}")
            try:
                with urllib.request.urlopen(url, timeout=2) as res:  # noqa: S310 - our own 127.0.0.1 URL
                    body = res.read().decode("utf-8", "replace")
                    if check is None or check(body):
                        return
                    last = body
            except urllib.error.HTTPError as e:
                last = f"HTTP {e.code}"
            except OSError as e:
                last = str(e)
            time.sleep(0.25)
        raise RuntimeError(f"{what} not ready after {timeout:.0f} s ({last})")

    def up(self) -> None:
        build_id = FRONTEND / ".next" / "BUILD_ID"
        if not build_id.exists():
            raise RuntimeError("frontend/.next has no production build: run `npm run build` in frontend/ first")
        log(f"database {self.db}, data {self.data_dir}")
        pg(f'CREATE DATABASE "{self.db}"')
        self.db_created = True
        env = self.env()
        t0 = time.time()
        subprocess.run([str(VENV_BIN / "rechnungswerk"), "migrate"], cwd=BACKEND, env=env, check=True, stdout=subprocess.DEVNULL)
        log(f"migrated in {time.time() - t0:.1f} s")
        py = str(VENV_BIN / "python")
        self.start("api", [py, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(self.api_port)], BACKEND, env)
        self.start("worker", [py, "-m", "arq", "app.tasks.worker.WorkerSettings"], BACKEND, env)
        web_env = dict(env, API_URL=self.api_url, NEXT_TELEMETRY_DISABLED="1")
        next_bin = FRONTEND / "node_modules" / ".bin" / "next"
        self.start("web", [str(next_bin), "start", "-H", "127.0.0.1", "-p", str(self.web_port)], FRONTEND, web_env)
        self.wait_for(f"{self.api_url}/api/health", "API with a live worker", 60, lambda b: '"worker":"ok"' in b.replace(" ", ""))
        self.wait_for(f"{self.web_url}/login", "web app", 60)
        log(f"up in {time.time() - t0:.1f} s: API {self.api_url}, web {self.web_url}")

    def playwright_env(self) -> dict[str, str]:
        # What a spec needs to run a backend command against this stack (e.g. `rechnungswerk
        # recurring run`, the daily job, on demand): the stack's own settings.
        backend_env = self.tmp / "backend-env.json"
        keys = ("ENVIRONMENT", "DATABASE_URL", "REDIS_URL", "ARQ_QUEUE_NAME", "DATA_DIR", "EMAIL_BACKEND", "API_BASE_URL", "PUBLIC_BASE_URL", "PYTHONPATH")
        backend_env.write_text(json.dumps({k: v for k, v in self.env().items() if k in keys}))
        env = dict(os.environ)
        env.update(
            E2E_BACKEND_ENV=str(backend_env),
            E2E_BACKEND_BIN=str(VENV_BIN),
            E2E_WEB_URL=self.web_url,
            E2E_API_URL=self.api_url,
            E2E_DATA_DIR=str(self.data_dir),
            E2E_MOCK_API_PORT=str(self.mock_api_port),
            E2E_MOCK_WEB_PORT=str(self.mock_web_port),
            RW_PYTHON=str(VENV_BIN / "python"),
            RW_BACKEND_DIR=str(BACKEND),
            NEXT_TELEMETRY_DISABLED="1",
        )
        return env

    def print_logs(self, lines: int = 60) -> None:
        for name, _, logfile in self.procs:
            try:
                tail = logfile.read_text("utf-8", "replace").splitlines()[-lines:]
            except OSError:
                continue
            print(f"----- {name} log (last {len(tail)} lines, {logfile}) -----", flush=True)
            print("\n".join(tail), flush=True)

    def down(self) -> None:
        for name, proc, _ in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.time() + 20
        for name, proc, _ in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in time; killing it")
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        if self.db_created:
            try:
                pg(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
            except Exception as e:  # noqa: BLE001 - teardown reports and goes on
                log(f"could not drop {self.db}: {e}")
        self._clear_redis()
        if self.keep:
            log(f"kept logs and data in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _clear_redis(self) -> None:
        # Our queue, its job results and our rate-limit counters; nobody else's keys.
        try:
            import redis

            r = redis.Redis.from_url(REDIS_URL)
            prefix = f"rw_e2e_{os.getpid()}"
            for pattern in (f"{prefix}*", f"rl:{prefix}*"):
                keys = list(r.scan_iter(match=pattern, count=500))
                if keys:
                    r.delete(*keys)
        except Exception as e:  # noqa: BLE001
            log(f"could not clean Redis keys: {e}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep logs and DATA_DIR after the run")
    parser.add_argument("playwright_args", nargs=argparse.REMAINDER, help="passed to `playwright test`")
    args = parser.parse_args()
    pw_args = [a for a in args.playwright_args if a != "--"]

    stack = Stack(keep=args.keep)

    def interrupted(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    code = 1
    try:
        stack.up()
        t0 = time.time()
        npx = shutil.which("npx") or "npx"
        code = subprocess.run([npx, "playwright", "test", *pw_args], cwd=FRONTEND, env=stack.playwright_env()).returncode
        log(f"playwright finished with code {code} in {time.time() - t0:.1f} s")
        if code != 0:
            stack.print_logs()
    except KeyboardInterrupt:
        log("interrupted")
        code = 130
    except Exception as e:  # noqa: BLE001 - report, tear down, fail
        log(f"failed: {e}")
        stack.print_logs()
        code = 1
    finally:
        stack.down()
    return code


if __name__ == "__main__":
    sys.exit(main())
