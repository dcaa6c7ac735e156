"""A small HTTP/1.1 server on 127.0.0.1 in its own thread and event loop.

It speaks just enough HTTP (keep-alive, Content-Length bodies) for our clients, fast enough
for the benchmark, and lets a test script each answer: a status, a delay, a hang, a dropped
connection. Running in its own thread keeps it answering while the test's loop is blocked
on a worker or a database call.
"""

import asyncio
import contextlib
import inspect
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

_REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently", 302: "Found",
    400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 410: "Gone", 429: "Too Many Requests",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    received_at: float = field(default_factory=time.time)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Drop:
    """Answer nothing and close the connection (a crash on the other side)."""


Handler = Callable[[Request], "Response | Drop | Awaitable[Response | Drop]"]


class StubServer:
    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 0) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._ready = threading.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.connections = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "StubServer":
        self._thread = threading.Thread(target=self._run, name=f"stub-{self.port}", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("stub server did not start")
        return self

    def _run(self) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)

        async def _serve() -> None:
            self._server = await asyncio.start_server(self._client, self.host, self.port, backlog=1024)
            self.port = self._server.sockets[0].getsockname()[1]
            self._ready.set()

        self.loop.run_until_complete(_serve())
        self.loop.run_forever()
        # Cancel handlers that are still hanging on purpose, then close the loop.
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            self.loop.run_until_complete(asyncio.gather(*self._tasks, return_exceptions=True))
        self.loop.close()

    def stop(self) -> None:
        if self.loop is None:
            return

        def _close() -> None:
            if self._server is not None:
                self._server.close()
            assert self.loop is not None
            self.loop.stop()

        self.loop.call_soon_threadsafe(_close)
        if self._thread is not None:
            self._thread.join(10)
        self.loop = None

    def call(self, fn: Callable[[], Any]) -> None:
        """Run `fn` on the server's loop (e.g. to release a hanging handler)."""
        assert self.loop is not None
        self.loop.call_soon_threadsafe(fn)

    def __enter__(self) -> "StubServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            await self._serve_connection(reader, writer)
        except asyncio.CancelledError:
            # Stopping the server cancels handlers that hang on purpose; end quietly.
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _version = lines[0].split(" ", 2)
            headers: dict[str, str] = {}
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            try:
                body = await reader.readexactly(length) if length else b""
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            parts = urlsplit(target)
            request = Request(method, parts.path, parse_qs(parts.query), headers, body)
            result = self.handler(request)
            if inspect.isawaitable(result):
                result = await result
            if isinstance(result, Drop):
                return
            assert isinstance(result, Response)
            out_headers = dict(result.headers)
            if "transfer-encoding" not in {k.lower() for k in out_headers}:
                out_headers["Content-Length"] = str(len(result.body))
            if "content-type" not in {k.lower() for k in out_headers}:
                out_headers["Content-Type"] = "application/json"
            head_out = f"HTTP/1.1 {result.status} {_REASONS.get(result.status, 'Status')}\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in out_headers.items()
            ) + "\r\n"
            writer.write(head_out.encode("latin-1") + result.body)
            try:
                await writer.drain()
            except ConnectionError:
                return
            if headers.get("connection", "").lower() == "close":
                return
