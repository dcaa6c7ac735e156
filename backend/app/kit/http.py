"""Outgoing HTTP for the worker: one shared httpx.AsyncClient per process and purpose.

The clients use `PinnedTransport`, our own httpx transport on asyncio streams, for two
reasons:

* SSRF: the transport resolves the host itself, checks every address
  (`app.kit.netguard`), and connects to exactly the address it checked. The URL, the Host
  header and the TLS SNI/certificate check keep the real hostname.
* Speed: httpcore on anyio costs about a millisecond of CPU per request (it also retries a
  failing `import sniffio` on every call); the benchmark wants hundreds of deliveries per
  second from one process. This transport does one write and a buffered read per request.

It speaks HTTP/1.1 with keep-alive, Content-Length and chunked responses, and reads at most
`max_body` bytes of a response (we only keep an excerpt; a huge answer must not eat the
worker's memory). Redirects are the client's business: ours never follow them.
"""

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import certifi
import httpx

from app.config import get_settings
from app.kit import netguard


# httpx logs every request at INFO. Every attempt is recorded in the database already; at
# hundreds of deliveries per second the log line would be noise that costs CPU.
logging.getLogger("httpx").setLevel(logging.WARNING)


class BlockedTargetError(httpx.ConnectError):
    """The SSRF guard refused the target address."""


class _Stale(Exception):
    """A reused keep-alive connection turned out to be closed before any answer."""


@dataclass
class _Conn:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = field(default_factory=time.monotonic)

    def usable(self, expiry: float) -> bool:
        return (
            not self.writer.is_closing()
            and not self.reader.at_eof()
            and time.monotonic() - self.idle_since < expiry
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


_DROP_REQUEST_HEADERS = {b"content-length", b"transfer-encoding"}


class PinnedTransport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        *,
        guard: Callable[[], bool] | None = None,
        max_idle_per_origin: int = 128,
        keepalive_expiry: float = 15.0,
        max_body: int = 64 * 1024,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        # `guard()` is asked per new connection whether private targets are refused, so a
        # settings change (tests flip it) takes effect without rebuilding clients.
        self._guard = guard
        self._max_idle = max_idle_per_origin
        self._expiry = keepalive_expiry
        self._max_body = max_body
        self._ssl = ssl_context or ssl.create_default_context(cafile=certifi.where())
        self._idle: dict[tuple[str, str, int], list[_Conn]] = {}

    async def aclose(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"Nur http und https werden unterstützt, nicht {scheme!r}", request=request)
        host = url.host
        port = url.port or (443 if scheme == "https" else 80)
        timeouts = request.extensions.get("timeout", {})
        body = await request.aread()
        head = self._head(request, body)
        key = (scheme, host, port)

        conn = self._take_idle(key)
        reused = conn is not None
        if conn is None:
            conn = await self._connect(request, scheme, host, port, timeouts.get("connect"))
        try:
            return await self._exchange(conn, key, head + body, request, timeouts)
        except _Stale:
            if not reused:
                raise httpx.RemoteProtocolError("Verbindung ohne Antwort geschlossen", request=request) from None
        # The server closed an idle keep-alive connection just as we reused it: it never
        # saw the request, so one retry on a fresh connection is safe.
        conn = await self._connect(request, scheme, host, port, timeouts.get("connect"))
        try:
            return await self._exchange(conn, key, head + body, request, timeouts)
        except _Stale:
            raise httpx.RemoteProtocolError("Verbindung ohne Antwort geschlossen", request=request) from None

    def _head(self, request: httpx.Request, body: bytes) -> bytes:
        lines = [request.method.encode() + b" " + (request.url.raw_path or b"/") + b" HTTP/1.1"]
        for name, value in request.headers.raw:
            if name.lower() not in _DROP_REQUEST_HEADERS:
                lines.append(name + b": " + value)
        if body or request.method in ("POST", "PUT", "PATCH"):
            lines.append(b"Content-Length: " + str(len(body)).encode())
        return b"\r\n".join(lines) + b"\r\n\r\n"

    def _take_idle(self, key: tuple[str, str, int]) -> _Conn | None:
        conns = self._idle.get(key)
        while conns:
            conn = conns.pop()
            if conn.usable(self._expiry):
                return conn
            conn.close()
        return None

    def _give_back(self, key: tuple[str, str, int], conn: _Conn) -> None:
        conns = self._idle.setdefault(key, [])
        if len(conns) >= self._max_idle:
            conn.close()
            return
        conn.idle_since = time.monotonic()
        conns.append(conn)

    async def _connect(
        self, request: httpx.Request, scheme: str, host: str, port: int, timeout: float | None
    ) -> _Conn:
        refuse_private = self._guard() if self._guard is not None else False
        try:
            async with asyncio.timeout(timeout):
                addresses = await netguard.resolve(host, port, allow_private=not refuse_private)
                last: OSError | None = None
                for address in addresses:
                    try:
                        reader, writer = await asyncio.open_connection(
                            address,
                            port,
                            ssl=self._ssl if scheme == "https" else None,
                            # The certificate is checked against the name, not the address.
                            server_hostname=host if scheme == "https" else None,
                        )
                        return _Conn(reader, writer)
                    except OSError as exc:
                        last = exc
                raise httpx.ConnectError(f"Verbindung zu {host}:{port} fehlgeschlagen: {last}", request=request)
        except TimeoutError:
            raise httpx.ConnectTimeout(f"Zeitüberschreitung beim Verbindungsaufbau zu {host}", request=request) from None
        except netguard.BlockedAddress as exc:
            raise BlockedTargetError(str(exc), request=request) from None
        except OSError as exc:  # socket.gaierror and friends
            raise httpx.ConnectError(f"{host} nicht erreichbar: {exc}", request=request) from None

    async def _exchange(
        self, conn: _Conn, key: tuple[str, str, int], data: bytes, request: httpx.Request, timeouts: dict[str, float | None]
    ) -> httpx.Response:
        reader, writer = conn.reader, conn.writer
        got_bytes = False
        try:
            writer.write(data)
            async with asyncio.timeout(timeouts.get("write")):
                await writer.drain()
            async with asyncio.timeout(timeouts.get("read")):
                while True:
                    try:
                        raw_head = await reader.readuntil(b"\r\n\r\n")
                    except asyncio.IncompleteReadError as exc:
                        if not exc.partial and not got_bytes:
                            raise _Stale() from None
                        raise httpx.RemoteProtocolError("Unvollständige Antwort", request=request) from None
                    got_bytes = True
                    status, reason, headers = _parse_head(raw_head, request)
                    if 100 <= status < 200 and status != 101:
                        continue  # 100 Continue and friends precede the real answer
                    break
                body, complete = await self._read_body(reader, request.method, status, headers)
        except _Stale:
            conn.close()
            raise
        except TimeoutError:
            conn.close()
            raise httpx.ReadTimeout("Zeitüberschreitung beim Warten auf die Antwort", request=request) from None
        except asyncio.LimitOverrunError:
            conn.close()
            raise httpx.RemoteProtocolError("Antwortkopf zu groß", request=request) from None
        except (ConnectionError, OSError) as exc:
            conn.close()
            if not got_bytes and isinstance(exc, ConnectionResetError):
                raise _Stale() from None
            raise httpx.ReadError(f"Verbindung abgebrochen: {exc}", request=request) from None
        except BaseException:
            conn.close()
            raise
        connection_header = _header(headers, b"connection").lower()
        if complete and connection_header != b"close":
            self._give_back(key, conn)
        else:
            conn.close()
        return httpx.Response(
            status,
            headers=headers,
            stream=httpx.ByteStream(body),
            request=request,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason},
        )

    async def _read_body(
        self, reader: asyncio.StreamReader, method: str, status: int, headers: list[tuple[bytes, bytes]]
    ) -> tuple[bytes, bool]:
        """Returns (body up to max_body, whether the connection is positioned for reuse)."""
        if method == "HEAD" or status in (204, 304):
            return b"", True
        if _header(headers, b"transfer-encoding").lower().endswith(b"chunked"):
            chunks: list[bytes] = []
            size_total = 0
            while True:
                line = await reader.readuntil(b"\r\n")
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    # Trailers, then the empty line that ends the message.
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":
                        pass
                    return b"".join(chunks), True
                if size_total + size > self._max_body:
                    chunks.append(await reader.readexactly(max(0, self._max_body - size_total)))
                    return b"".join(chunks), False
                chunks.append(await reader.readexactly(size))
                size_total += size
                await reader.readexactly(2)
        length = _header(headers, b"content-length")
        if length:
            n = int(length)
            if n > self._max_body:
                return await reader.readexactly(self._max_body), False
            return (await reader.readexactly(n) if n else b""), True
        # No framing: the body runs until the server closes the connection.
        data = await reader.read(self._max_body)
        buf = [data]
        total = len(data)
        while data and total < self._max_body:
            data = await reader.read(self._max_body - total)
            buf.append(data)
            total += len(data)
        return b"".join(buf), False


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    for key, value in headers:
        if key.lower() == name:
            return value
    return b""


def _parse_head(raw: bytes, request: httpx.Request) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    lines = raw[:-4].split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise httpx.RemoteProtocolError("Keine HTTP-Antwort", request=request)
    try:
        status = int(parts[1])
    except ValueError:
        raise httpx.RemoteProtocolError("Ungültiger Statuscode", request=request) from None
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            headers.append((name.strip(), value.strip()))
    return status, parts[2] if len(parts) > 2 else b"", headers


# --- shared clients ---------------------------------------------------------------------

_clients: "WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, httpx.AsyncClient]]" = WeakKeyDictionary()


def _make_client(guarded: bool) -> httpx.AsyncClient:
    guard = (lambda: not get_settings().effective_webhook_allow_private_targets) if guarded else None
    return httpx.AsyncClient(
        transport=PinnedTransport(guard=guard),
        follow_redirects=False,
        # Proxies from the environment would bypass the address checks.
        trust_env=False,
        headers={"User-Agent": "RechnungsWerk-Webhooks/1.0", "Accept-Encoding": "identity"},
    )


def _client(name: str, guarded: bool) -> httpx.AsyncClient:
    # One client per event loop: connections belong to the loop that opened them.
    loop = asyncio.get_running_loop()
    per_loop = _clients.setdefault(loop, {})
    client = per_loop.get(name)
    if client is None or client.is_closed:
        client = per_loop[name] = _make_client(guarded)
    return client


def webhook_client() -> httpx.AsyncClient:
    """For user-supplied targets: SSRF-guarded unless WEBHOOK_ALLOW_PRIVATE_TARGETS."""
    return _client("webhooks", guarded=True)


def provider_client() -> httpx.AsyncClient:
    """For operator-configured services (Brevo): not guarded, the URL is trusted config."""
    return _client("providers", guarded=False)


async def close_clients() -> None:
    loop = asyncio.get_running_loop()
    for client in _clients.pop(loop, {}).values():
        await client.aclose()
