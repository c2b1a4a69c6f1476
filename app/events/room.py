"""A live room for one interview session over WebSockets, spanning every API process.

The interviewer and the candidate join; the candidate's editor sends its current code (debounced
by the page) and every other member receives it at once through the bus, whichever process it is
connected to. Room messages are not stored: the candidate's drafts still reach the timeline
through the draft endpoint, and the timeline stream carries everything stored. The pages share
the code itself through `app.pairing`'s documents; the room stays for clients of the JSON API.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from typing import Any

import anyio
from starlette.datastructures import Headers
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.core.settings import Settings
from app.core.websecurity import own_origin

from .bus import bus_url
from .hub import Inbox, hub_for
from .limits import Lease

POLICY_VIOLATION = 1008
TOO_BIG = 1009
MAX_STAY_S = 12 * 3600.0


def room_channel(interview_id: int) -> str:
    return f"room:{interview_id}"


def same_origin(websocket: WebSocket) -> bool:
    """Browsers always send Origin on a WebSocket: a page of another site may not join a room
    with this site's cookies."""
    headers = Headers(scope=websocket.scope)
    origin = headers.get("origin")
    # A socket's scheme is ws/wss; the page that opened it has http/https.
    page_scheme = {"ws": "http", "wss": "https"}.get(websocket.scope.get("scheme", "ws"), "http")
    return origin is None or origin.lower() == own_origin({**websocket.scope, "scheme": page_scheme}, headers)


def code_message(raw: str, max_code_bytes: int) -> dict[str, Any] | None:
    """{"type": "code", "question": slug, "code": text} from the candidate, or None if invalid."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("type") != "code":
        return None
    question, code = body.get("question"), body.get("code")
    if not isinstance(question, str) or not isinstance(code, str) or len(question) > 64:
        return None
    if len(code.encode("utf-8", errors="surrogatepass")) > max_code_bytes:
        return None
    return {"type": "code", "question": question, "code": code}


class Member:
    def __init__(self, websocket: WebSocket, settings: Settings, interview_id: int, role: str) -> None:
        self.websocket, self.settings, self.role = websocket, settings, role
        self.channel = room_channel(interview_id)
        self.id = uuid.uuid4().hex[:12]
        self.hub = hub_for(bus_url(settings))

    async def announce(self, payload: dict[str, Any]) -> None:
        await self.hub.publish_async(self.channel, {**payload, "role": self.role, "member": self.id})

    async def forward(self, inbox: Inbox) -> None:
        """The bus to this socket: what the other members said."""
        while True:
            payload = await inbox.get(MAX_STAY_S)
            if payload is None:
                return
            if payload.get("member") == self.id or "refetch" in payload:
                continue
            try:
                await self.websocket.send_json(payload)
            except (WebSocketDisconnect, RuntimeError, OSError):
                return  # the socket closed meanwhile

    async def listen(self) -> None:
        """This socket to the bus: the candidate's code; anything else closes the socket."""
        limit = self.settings.max_code_bytes
        while True:
            received = await self.websocket.receive()
            if received["type"] == "websocket.disconnect":
                return
            raw = received.get("text")
            message = code_message(raw, limit) if self.role == "candidate" and isinstance(raw, str) else None
            if message is None:
                await self.websocket.close(TOO_BIG if raw is not None and len(raw) > 2 * limit else POLICY_VIOLATION)
                return
            await self.announce(message)


async def serve_room(websocket: WebSocket, settings: Settings, interview_id: int, role: str, lease: Lease) -> None:
    """Hold one member's socket until either side leaves. The caller authorised it already."""
    member = Member(websocket, settings, interview_id, role)
    try:
        await websocket.accept()
        await member.hub.ready()
        with member.hub.subscribe(member.channel) as inbox:
            await member.announce({"type": "join"})
            try:
                async with anyio.create_task_group() as group:
                    group.start_soon(_then_cancel, member.forward(inbox), group.cancel_scope)
                    await member.listen()
                    group.cancel_scope.cancel()
            finally:
                # Shielded: the server may be cancelling this task because the peer went away.
                with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
                    await member.announce({"type": "leave"})
    finally:
        lease.release()


async def _then_cancel(work: Any, scope: anyio.CancelScope) -> None:
    await work
    scope.cancel()
