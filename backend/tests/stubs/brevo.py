"""A stand-in for Brevo's transactional e-mail API (POST /v3/smtp/email) on 127.0.0.1.

Speaks the protocol our client relies on: `api-key` header, JSON body, 201 with
`messageId`, 400 `{"code", "message"}`, 429 with `x-sib-ratelimit-reset`, and the
`idempotencyKey` header: a key seen before is refused with `duplicate_parameter` and the
message is not sent again. `plan` scripts the next answers: a status code, (429, reset),
"hang" (never answers, nothing accepted) or "hang_after_accept" (accepts, never answers).
"""

import asyncio
import itertools
import json
import threading
from collections import deque
from typing import Any

from tests.stubs.httpserver import Request, Response, StubServer

API_KEY = "xkeysib-test-key"


class BrevoStub:
    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.plan: deque[Any] = deque()
        self.accepted: list[dict[str, Any]] = []  # messages that would have been sent
        self.requests = 0
        self.keys: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server = StubServer(self._handle)

    def start(self) -> "BrevoStub":
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def api_url(self) -> str:
        return self.server.url + "/v3"

    def accepted_count(self) -> int:
        with self._lock:
            return len(self.accepted)

    @staticmethod
    def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
        return Response(status, json.dumps({"code": code, "message": message}).encode(), headers or {})

    async def _handle(self, request: Request) -> Response:
        with self._lock:
            self.requests += 1
        if request.method != "POST" or request.path != "/v3/smtp/email":
            return self._error(404, "not_found", "Not found")
        if request.headers.get("api-key") != self.api_key:
            return self._error(401, "unauthorized", "Key not found")
        with self._lock:
            action = self.plan.popleft() if self.plan else 201
        if action == "hang":
            await asyncio.sleep(3600)
        if isinstance(action, tuple) and action[0] == 429:
            return self._error(429, "too_many_requests", "Rate limit exceeded", {"x-sib-ratelimit-reset": str(action[1])})
        if isinstance(action, int) and action >= 400:
            if action >= 500:
                return self._error(action, "internal_error", "Internal server error")
            return self._error(action, "invalid_parameter", "sender is not valid: Absender nicht verifiziert")
        try:
            body = json.loads(request.body)
        except ValueError:
            return self._error(400, "bad_request", "Invalid JSON")
        for required in ("sender", "to", "subject"):
            if not body.get(required):
                return self._error(400, "missing_parameter", f"{required} is missing")
        if not (body.get("htmlContent") or body.get("textContent")):
            return self._error(400, "missing_parameter", "htmlContent or textContent is missing")
        key = (body.get("headers") or {}).get("idempotencyKey")
        with self._lock:
            if key and key in self.keys:
                return self._error(400, "duplicate_parameter", "The idempotency key has already been used")
            message_id = f"<20261126.{next(self._ids)}@smtp-relay.mailin.fr>"
            if key:
                self.keys[key] = message_id
            self.accepted.append({**body, "messageId": message_id})
        if action == "hang_after_accept":
            await asyncio.sleep(3600)
        return Response(201, json.dumps({"messageId": message_id}).encode())
