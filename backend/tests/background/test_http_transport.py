"""The pinned httpx transport (app.kit.http) and the address rules (app.kit.netguard)."""

import httpx
import pytest

from app.kit.http import BlockedTargetError, PinnedTransport
from app.kit.netguard import address_is_public
from tests.background.helpers import free_port
from tests.stubs.httpserver import Request, Response, StubServer


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("93.184.215.14", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # CGNAT
        ("0.0.0.0", False),
        ("224.0.0.251", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd12:3456::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:169.254.169.254", False),
        ("2002:7f00:1::1", False),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 around 10.0.0.1
        ("fe80::1%eth0", False),
        ("kein-ip", False),
    ],
)
def test_address_is_public(address: str, public: bool) -> None:
    assert address_is_public(address) is public


def _client(**kw) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=PinnedTransport(**kw), follow_redirects=False, trust_env=False)


async def test_keep_alive_chunked_and_capped_bodies() -> None:
    def handler(request: Request) -> Response:
        if request.path == "/chunked":
            return Response(200, b"5\r\nHallo\r\n6\r\n, Welt\r\n0\r\n\r\n", {"Transfer-Encoding": "chunked"})
        if request.path == "/big":
            return Response(200, b"x" * 10_000)
        return Response(201, request.body, {"Content-Type": "text/plain"})

    with StubServer(handler) as server:
        async with _client(max_body=1000) as client:
            for i in range(3):
                r = await client.post(server.url + "/echo", content=f"nachricht {i}".encode())
                assert r.status_code == 201 and r.text == f"nachricht {i}"
            assert server.connections == 1  # one kept-alive connection for all three
            r = await client.get(server.url + "/chunked")
            assert r.text == "Hallo, Welt"
            r = await client.get(server.url + "/big")
            assert r.status_code == 200 and len(r.content) == 1000  # only an excerpt is read...
            r = await client.post(server.url + "/echo", content=b"danach")
            assert r.text == "danach"
            assert server.connections == 2  # ...and that connection was not reused


async def test_errors_surface_as_httpx_errors() -> None:
    async with _client() as client:
        with pytest.raises(httpx.ConnectError):
            await client.post(f"http://127.0.0.1:{free_port()}/", content=b"{}")
        with pytest.raises(httpx.UnsupportedProtocol):
            await client.get("ftp://127.0.0.1/")
    async with _client(guard=lambda: True) as client:
        with pytest.raises(BlockedTargetError, match="nicht öffentlich"):
            await client.get(f"http://127.0.0.1:{free_port()}/")
        with pytest.raises(BlockedTargetError):
            await client.get("http://[::1]:9/")


async def test_read_timeout() -> None:
    import asyncio

    async def slow(request: Request) -> Response:
        await asyncio.sleep(2)
        return Response(200)

    with StubServer(slow) as server:
        async with _client() as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.get(server.url + "/", timeout=0.2)
