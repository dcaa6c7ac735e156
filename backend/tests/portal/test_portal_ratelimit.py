"""Rate limits: 10 per minute per token across every portal route (also across API
processes, through Redis), and a per-address limit on tokens that do not exist."""

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.portal.conftest import archive, fresh_ip, shared_invoice

BACKEND = Path(__file__).resolve().parents[2]


def _assert_429(r: httpx.Response) -> None:
    assert r.status_code == 429, r.text
    retry = int(r.headers["Retry-After"])
    assert 1 <= retry <= 61
    body = r.json()
    assert body["code"] == "rate_limited" and body["errors"] == [] and body["detail"]


async def test_eleventh_request_on_one_token_is_429_across_routes(client, tenant):
    invoice, link = await shared_invoice(tenant)
    await archive(invoice["id"], invoice["number"])
    base = f"/api/portal/{link['token']}"
    calls = [
        ("GET", base), ("GET", f"{base}/download-pdf"), ("GET", f"{base}/download-xml"),
        ("GET", f"{base}/download-xml?syntax=cii"), ("GET", f"{base}/logo"), ("GET", base), ("GET", base),
        ("GET", base), ("GET", base), ("POST", f"{base}/confirm-payment"),
    ]
    for method, url in calls:
        r = await client.request(method, url)
        assert r.status_code in (200, 404), (url, r.status_code)  # 404: no logo uploaded
    _assert_429(await client.get(base))
    _assert_429(await client.post(f"{base}/confirm-payment"))
    # Keyed by the token, not the address: the same client opens another link fine...
    _, other = await shared_invoice(tenant)
    assert (await client.get(f"/api/portal/{other['token']}")).status_code == 200


async def test_limit_follows_the_token_not_the_address(app, tenant):
    _, link = await shared_invoice(tenant)
    for i in range(10):
        transport = httpx.ASGITransport(app=app, client=(fresh_ip(), 1000 + i))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            assert (await c.get(f"/api/portal/{link['token']}")).status_code == 200
    transport = httpx.ASGITransport(app=app, client=(fresh_ip(), 2000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        _assert_429(await c.get(f"/api/portal/{link['token']}"))


async def test_guessing_is_limited_per_address(app, tenant, client_ip):
    _, link = await shared_invoice(tenant)
    transport = httpx.ASGITransport(app=app, client=(client_ip, 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as guesser:
        for i in range(20):
            bad = str(uuid.uuid4()) if i % 2 else f"kein-token-{i}"
            assert (await guesser.get(f"/api/portal/{bad}")).status_code == 404
        _assert_429(await guesser.get(f"/api/portal/{uuid.uuid4()}"))
        # A valid link from the same address (a colleague behind the same NAT) still opens.
        assert (await guesser.get(f"/api/portal/{link['token']}")).status_code == 200
    transport = httpx.ASGITransport(app=app, client=(fresh_ip(), 5556))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        assert (await other.get(f"/api/portal/{uuid.uuid4()}")).status_code == 404


async def test_valid_tokens_do_not_use_up_the_guessing_allowance(app, tenant, client_ip):
    transport = httpx.ASGITransport(app=app, client=(client_ip, 6000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        for _ in range(3):
            _, link = await shared_invoice(tenant)
            for _ in range(10):
                assert (await c.get(f"/api/portal/{link['token']}")).status_code == 200
        # 30 successful requests later, the address still has all its 20 misses.
        for _ in range(20):
            assert (await c.get(f"/api/portal/{uuid.uuid4()}")).status_code == 404


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_api_processes(tmp_root):  # type: ignore[no-untyped-def]
    """Two real uvicorn processes on free ports, on this test session's database and Redis prefix."""
    env = dict(os.environ)
    ports = [_free_port(), _free_port()]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning"],
            cwd=BACKEND,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_root / f"uvicorn-{port}.log", "wb"),  # noqa: SIM115 - closed with the process
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn on {port} did not start: {(tmp_root / f'uvicorn-{port}.log').read_text()}")
                time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


async def test_limit_holds_across_two_api_processes(tenant, two_api_processes):
    _, link = await shared_invoice(tenant)
    a, b = two_api_processes
    async with httpx.AsyncClient(timeout=10) as http:
        answers = []
        for i in range(10):
            answers.append(await http.get(f"{(a, b)[i % 2]}/api/portal/{link['token']}"))
        assert [r.status_code for r in answers] == [200] * 10
        _assert_429(await http.get(f"{a}/api/portal/{link['token']}"))
        _assert_429(await http.get(f"{b}/api/portal/{link['token']}"))
        # Concurrent requests on a fresh token over both processes: exactly 10 get through.
        _, fresh = await shared_invoice(tenant)
        burst = await asyncio.gather(
            *(http.get(f"{(a, b)[i % 2]}/api/portal/{fresh['token']}") for i in range(16))
        )
        codes = sorted(r.status_code for r in burst)
        assert codes == [200] * 10 + [429] * 6
