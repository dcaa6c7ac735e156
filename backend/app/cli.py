"""`rechnungswerk` command line: run the stack, migrate, create users, seed demo data."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import click

from app.config import get_settings

BACKEND_DIR = Path(__file__).resolve().parent.parent


def migrate() -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(BACKEND_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(BACKEND_DIR / "migrations"))
    command.upgrade(cfg, "head")


async def _seed_if_empty(email: str, password: str) -> bool:
    from app.db import dispose_engine, session_scope
    from app.seed import database_is_empty, seed_demo

    try:
        async with session_scope() as session:
            if not await database_is_empty(session):
                return False
            await seed_demo(session, email, password)
            return True
    finally:
        await dispose_engine()


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


@click.group()
def main() -> None:
    """RechnungsWerk – E-Rechnungen für kleine Unternehmen."""


@main.command("migrate")
def migrate_cmd() -> None:
    """Apply all database migrations."""
    get_settings().data_dir.mkdir(parents=True, exist_ok=True)
    migrate()
    click.echo("Datenbank ist auf dem neuesten Stand.")


@main.command("seed-demo")
@click.option("--email", default=None)
@click.option("--password", default=None)
def seed_demo_cmd(email: str | None, password: str | None) -> None:
    """Create the demo organization and login (only when the database is empty)."""
    s = get_settings()
    email, password = email or s.demo_email, password or s.demo_password
    if asyncio.run(_seed_if_empty(email, password)):
        click.echo(f"Demo-Zugang angelegt: {email} / {password}")
    else:
        click.echo("Die Datenbank enthält bereits Benutzer; keine Demo-Daten angelegt.")


@main.command("openapi")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-", help="Datei (Standard: stdout)")
def openapi_cmd(output: str) -> None:
    """Write the API's OpenAPI schema (the web app's typed client is generated from it)."""
    import json

    from app.main import app

    text = json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if output == "-":
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")


@main.command("createuser")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--organization", "organization_name", required=True, help="Name der neuen Organisation")
def createuser_cmd(email: str, password: str, full_name: str, organization_name: str) -> None:
    """Create a user who owns a new organization."""
    from pydantic import ValidationError

    from app.auth import service
    from app.auth.schemas import RegisterRequest
    from app.db import dispose_engine, session_scope
    from app.errors import AppError

    try:
        body = RegisterRequest(email=email, password=password, full_name=full_name, organization_name=organization_name)
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None

    async def _run() -> None:
        try:
            async with session_scope() as session:
                await service.register(session, **body.model_dump())
        finally:
            await dispose_engine()

    try:
        asyncio.run(_run())
    except AppError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Benutzer {body.email} angelegt.")


@main.group("recurring")
def recurring_group() -> None:
    """Serienrechnungen."""


@recurring_group.command("run")
@click.option("--date", "run_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Stichtag JJJJ-MM-TT (Standard: heute in Europe/Berlin)")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=None, help="Vorlagen pro Transaktion")
def recurring_run_cmd(run_date: object, batch_size: int | None) -> None:
    """Run the daily recurring check once, exactly as the cron job does."""
    from app.db import dispose_engine
    from app.recurring import scheduler

    day = run_date.date() if run_date is not None else None  # type: ignore[attr-defined]

    async def _run() -> scheduler.RunResult:
        try:
            return await scheduler.run(day, batch_size=batch_size or scheduler.DEFAULT_BATCH_SIZE)
        finally:
            await dispose_engine()

    result = asyncio.run(_run())
    click.echo(
        f"Serienrechnungen zum {result.run_date:%d.%m.%Y}: {result.generated} erzeugt "
        f"({result.finalized} festgeschrieben, {result.drafts} Entwürfe), {result.sent} per E-Mail versendet"
        + (f" ({result.send_failed} nicht)" if result.send_failed else "")
        + f", {result.paused} Vorlagen pausiert, {result.failed} Fehler."
    )
    if result.failed:
        # Non-zero so that a scheduler (cron, systemd) notices; the next run retries them.
        sys.exit(1)


def _start_redis_if_needed(url: str, data_dir: Path) -> subprocess.Popen[bytes] | None:
    if _redis_answers(url):
        return None
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 6379
    server = shutil.which("redis-server")
    if host not in ("127.0.0.1", "localhost") or server is None:
        raise click.ClickException(
            f"Redis antwortet nicht unter {url}: starten Sie Redis (z. B. `apt-get install redis-server`) "
            "oder setzen Sie REDIS_URL."
        )
    click.echo(f"Redis antwortet nicht unter {url}; starte redis-server für diese Sitzung …")
    proc = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        if _redis_answers(url):
            return proc
        time.sleep(0.1)
    proc.terminate()
    raise click.ClickException("redis-server ließ sich nicht starten")


@main.command("run")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
@click.option("--web/--no-web", default=True, help="Auch die Web-App (Next.js) auf Port 3000 starten")
def run_cmd(host: str, port: int, web: bool) -> None:
    """Migrate, seed on first start, and run API + worker (+ web app) in the foreground."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    redis_proc = _start_redis_if_needed(settings.redis_url, settings.data_dir.resolve())
    if _port_open(host, port):
        raise click.ClickException(f"Port {port} ist bereits belegt: läuft RechnungsWerk schon?")
    migrate()
    if asyncio.run(_seed_if_empty(settings.demo_email, settings.demo_password)):
        click.secho("Demo-Zugang angelegt:", bold=True)
        click.echo(f"  E-Mail:   {settings.demo_email}\n  Passwort: {settings.demo_password}")

    env = dict(os.environ)
    # Children may run from another directory; pin the data directory they all share.
    env["DATA_DIR"] = str(settings.data_dir.resolve())
    procs: list[tuple[str, subprocess.Popen[bytes]]] = []
    py = sys.executable
    procs.append(("api", subprocess.Popen([py, "-m", "uvicorn", "app.main:app", "--host", host, "--port", str(port)], env=env)))
    procs.append(("worker", subprocess.Popen([py, "-m", "arq", "app.tasks.worker.WorkerSettings"], env=env)))
    web_proc = _start_web(env, f"http://{host}:{port}") if web else None
    if web_proc is not None:
        procs.append(("web", web_proc))
    click.secho(f"\nRechnungsWerk läuft: API http://{host}:{port}" + (" · Web-App http://127.0.0.1:3000" if web_proc else ""), bold=True)
    click.echo("Beenden mit Strg+C.")

    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    try:
        while not stopping:
            for name, p in procs:
                if p.poll() is not None:
                    click.echo(f"{name} wurde beendet (Code {p.returncode}); stoppe alles.")
                    exit_code = p.returncode or 1
                    stopping = True
            time.sleep(0.3)
    finally:
        for _, p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.time() + 35  # the worker finishes running jobs first
        for _, p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                p.kill()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=5)
    sys.exit(exit_code)


def _start_web(env: dict[str, str], api_url: str) -> subprocess.Popen[bytes] | None:
    """`next start` on 127.0.0.1:3000, talking to the API this command started.

    `make run` installs the npm packages and builds the web app first; started on its own,
    `rechnungswerk run` says how to get a build instead of letting `next start` fail.
    """
    frontend = BACKEND_DIR.parent / "frontend"
    if not (frontend / "package.json").exists():
        return None
    if not (frontend / ".next" / "BUILD_ID").exists():
        click.echo("Web-App nicht gebaut – `make run` (oder `make -C frontend build`) baut sie; starte ohne Web-App.")
        return None
    web_env = dict(env)
    # The API as this process started it (--host/--port), unless the operator points elsewhere.
    web_env.setdefault("API_URL", api_url)
    web_env.setdefault("PORT", "3000")
    web_env.setdefault("HOSTNAME", "127.0.0.1")
    web_env.setdefault("NEXT_TELEMETRY_DISABLED", "1")
    # `next` itself, not through `npm run`: npm does not pass SIGTERM on to its child, and
    # the server would outlive Ctrl-C whenever the signal reaches only this process.
    next_bin = frontend / "node_modules" / ".bin" / "next"
    return subprocess.Popen([str(next_bin), "start", "-H", "127.0.0.1", "-p", "3000"], cwd=frontend, env=web_env)


if __name__ == "__main__":
    main()
