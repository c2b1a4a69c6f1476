"""Request bodies are checked before routing: size first (413), then UTF-8 (400).

Checking here gives one clear error for every JSON endpoint instead of a generic parse failure,
and stops an oversized body before it is parsed at all.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_METHODS_WITH_BODY = {"POST", "PUT", "PATCH"}


class BodyGuard:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _METHODS_WITH_BODY:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._reject(send, 413, "payload_too_large", self._too_large())
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await self._reject(send, 413, "payload_too_large", self._too_large())
                return
        if _is_text(scope):
            try:
                bytes(body).decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = f"the request body is not valid UTF-8 (byte {exc.start})"
                await self._reject(send, 400, "invalid_utf8", problem)
                return
        await self.app(scope, _replay(bytes(body)), send)

    def _too_large(self) -> str:
        return f"the request body is over the {self.max_body_bytes // 1024} KiB limit"

    @staticmethod
    async def _reject(send: Send, status: int, code: str, message: str) -> None:
        payload = json.dumps({"error": code, "message": message}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _is_text(scope: Scope) -> bool:
    content_type = dict(scope["headers"]).get(b"content-type", b"application/json").lower()
    return b"json" in content_type or content_type.startswith(b"text/")


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive
