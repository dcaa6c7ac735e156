"""A webhook receiver that verifies Standard Webhooks signatures with the reference library.

`plan` scripts the next answers (a status code, ("sleep", s), "hang", "hang_after_record",
("redirect", url)); after the plan it answers `default_status`.
"""

import asyncio
import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.stubs.httpserver import Request, Response, StubServer


@dataclass
class Received:
    path: str
    webhook_id: str
    timestamp: str
    verified: bool
    payload: dict[str, Any] | None
    headers: dict[str, str]


class WebhookReceiver:
    def __init__(self, default_status: int = 200) -> None:
        self.default_status = default_status
        self.secrets: dict[str, str] = {}  # path -> whsec_ secret
        self.plan: deque[Any] = deque()
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self.server = StubServer(self._handle)

    def start(self) -> "WebhookReceiver":
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def url(self) -> str:
        return self.server.url

    def verified_ids(self, path: str | None = None) -> list[str]:
        with self._lock:
            return [r.webhook_id for r in self.received if r.verified and (path is None or r.path == path)]

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    async def _handle(self, request: Request) -> Response:
        secret = self.secrets.get(request.path)
        verified = False
        payload = None
        if secret:
            try:
                payload = Webhook(secret).verify(request.body, request.headers)
                verified = True
            except WebhookVerificationError:
                verified = False
        else:
            try:
                payload = json.loads(request.body)
            except ValueError:
                payload = None
        with self._lock:
            action = self.plan.popleft() if self.plan else self.default_status
        if action == "hang":
            await asyncio.sleep(3600)
        with self._lock:
            self.received.append(
                Received(
                    request.path, request.headers.get("webhook-id", ""), request.headers.get("webhook-timestamp", ""),
                    verified, payload, request.headers,
                )
            )
        if action == "hang_after_record":
            await asyncio.sleep(3600)
        if isinstance(action, tuple) and action[0] == "sleep":
            await asyncio.sleep(action[1])
            return Response(200, b'{"ok":true}')
        if isinstance(action, tuple) and action[0] == "redirect":
            return Response(302, b"", {"Location": action[1]})
        status = int(action)
        if not verified and secret:
            status = 401
        return Response(status, json.dumps({"status": status}).encode())
