"""Configuration, audit trail guarantees, rate-limited login, the worker round trip."""

import asyncio
import os
import subprocess
import sys

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from app.config import Settings


def test_production_refuses_default_secrets(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("WEBHOOK_ALLOW_PRIVATE_TARGETS", raising=False)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", _env_file=None)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", secret_key="short", _env_file=None)
    with pytest.raises(ValidationError, match="BREVO_WEBHOOK_TOKEN"):
        Settings(environment="production", secret_key="k" * 40, _env_file=None)
    ok = Settings(environment="production", secret_key="k" * 40, brevo_webhook_token="t" * 30, _env_file=None)
    assert ok.environment == "production"


def test_app_does_not_start_in_production_with_defaults(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    env["ENVIRONMENT"] = "production"
    r = subprocess.run([sys.executable, "-c", "import app.main"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode != 0
    assert "SECRET_KEY" in r.stderr


async def test_audit_trail_is_append_only(tenant, session):
    inv = await tenant.finalized_invoice()
    with pytest.raises(Exception, match="append-only"):
        await session.execute(text("UPDATE audit_events SET action = 'forged' WHERE invoice_id = :i"), {"i": inv["id"]})
    await session.rollback()
    actions = [e["action"] for e in (await tenant.get(f"/api/invoices/{inv['id']}/audit")).json()]
    assert actions == ["created", "finalized"]


async def test_login_is_rate_limited(client, monkeypatch):
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "login_rate_limit", "3/minute")
    # A private client address so other tests' logins do not count against this one.
    import httpx

    from app.main import app

    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        codes = [
            (await c.post("/api/auth/login", json={"email": "niemand@muster-gmbh.de", "password": "falsch"})).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        r = await c.post("/api/auth/login", json={"email": "niemand@muster-gmbh.de", "password": "falsch"})
        assert r.status_code == 429
        assert int(r.headers["Retry-After"]) >= 1
        assert r.json()["code"] == "rate_limited"


async def test_worker_runs_jobs_and_reports_its_heartbeat(client, tmp_path):
    """A real ARQ worker process on the test queue: a job round trip and /api/health."""

    from app.tasks.queue import get_pool

    proc = subprocess.Popen(
        [sys.executable, "-m", "arq", "app.tasks.worker.WorkerSettings"], env=dict(os.environ), cwd=os.getcwd(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        pool = await get_pool()
        job = await pool.enqueue_job("ping")
        assert job is not None
        assert await job.result(timeout=30) == "pong"
        for _ in range(100):
            health = (await client.get("/api/health")).json()
            if health["worker"] == "ok":
                break
            await asyncio.sleep(0.1)
        assert health == {"status": "ok", "db": "ok", "redis": "ok", "worker": "ok"}
    finally:
        proc.terminate()
        proc.wait(timeout=40)
    # Graceful stop removes the heartbeat at once.
    assert (await client.get("/api/health")).json()["worker"] == "down"
