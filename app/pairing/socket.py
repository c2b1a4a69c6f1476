"""One browser's socket to one shared document, spanning every API process.

Each socket keeps its own server-side copy of the document (rebuilt from storage when it opens:
the latest snapshot and the log after it) and speaks y-protocols with the browser:

- the browser's sync step 1 gets a step 2 with what it lacks. Messages of one socket are handled
  in order, so that answer also tells the browser that its earlier edits are stored: the page
  sends a step 1 and waits for the answer before a run (see `static/js/pair.js`);
- an update is applied to the copy first; if the text stays within `max_code_bytes`, has no
  CR, and the document holds nothing but its "code" text, it is stored (then published by the commit) and
  the other sockets apply and forward it; otherwise the socket closes and nothing is kept;
- awareness (cursor, selection) is relayed only, never stored, and the server writes the name
  and colour itself from who opened the socket, so no one can label their cursor as the other.

Bus payloads are JSON: updates and awareness travel base64-encoded. An update too large for a
datagram arrives as a refetch notice, as does any gap on the bus: the socket then re-reads the
log and sends the browser what it was missing.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import uuid
from dataclasses import dataclass
from typing import Any

import anyio
from pycrdt import Doc
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.core.database import Database
from app.core.errors import Gone
from app.events.bus import bus_url
from app.events.hub import Inbox, hub_for
from app.events.limits import Lease
from app.events.room import MAX_STAY_S, POLICY_VIOLATION, TOO_BIG, _then_cancel

from . import service
from .protocol import (
    STEP1,
    STEP2,
    UPDATE,
    AwarenessEntry,
    AwarenessUpdate,
    BadMessage,
    DocUpdate,
    SyncStep1,
    encode_awareness,
    parse,
    sync_message,
)

# Cursor colours by role (each with its selection tint), the same on both screens.
COLOURS = {"candidate": ("#1d4ed8", "#1d4ed833"), "interviewer": ("#b45309", "#b4530933")}
MESSAGE_OVERHEAD = 16 * 1024  # a step 2 also carries the deletions and item ids beside the text
LOG_FACTOR = 64  # a document's log may grow to 64 times the code limit (hours of typing)


@dataclass(frozen=True)
class DocGrant:
    """What authorising a socket found: which document, who, and whether they may still edit."""

    interview_id: int
    slug: str
    role: str
    name: str
    writable: bool


class DocPeer:
    def __init__(self, websocket: WebSocket, database: Database, grant: DocGrant) -> None:
        self.websocket, self.database, self.grant = websocket, database, grant
        settings = database.settings
        self.max_code = settings.max_code_bytes
        self.max_message = 2 * settings.max_code_bytes + MESSAGE_OVERHEAD
        self.max_log = LOG_FACTOR * settings.max_code_bytes
        self.channel = service.doc_channel(grant.interview_id, grant.slug)
        self.hub = hub_for(bus_url(settings))
        self.id = uuid.uuid4().hex[:12]
        self.doc: Doc[Any] = Doc()
        self.log_bytes = 0
        self.client: int | None = None  # the browser's Yjs client id, from its first awareness
        self.clock = 0
        self.awareness: bytes | None = None  # its latest cursor, re-sent when someone joins
        self._send_lock = anyio.Lock()
        colour, light = COLOURS[grant.role]
        self.user = {"name": grant.name, "color": colour, "colorLight": light, "role": grant.role}

    # -- the database and the bus -------------------------------------------------------------

    def _read_stored(self) -> tuple[bytes, int]:
        with self.database.session() as db:
            return service.stored_state(db, self.grant.interview_id, self.grant.slug)

    def _store(self, update: bytes) -> None:
        with self.database.session() as db:
            service.append_update(db, self.grant.interview_id, self.grant.slug, update, self.grant.role, self.id)

    async def load(self) -> None:
        """Bring the copy up to the stored document (applying an update twice changes nothing).
        It arrives merged into one update, built off the event loop: the loop applies only that."""
        state, self.log_bytes = await anyio.to_thread.run_sync(self._read_stored)
        self.doc.apply_update(state)

    async def publish(self, payload: dict[str, Any]) -> None:
        await self.hub.publish_async(self.channel, {**payload, "member": self.id})

    async def send(self, message: bytes) -> None:
        async with self._send_lock:
            await self.websocket.send_bytes(message)

    async def close(self, code: int) -> bool:
        with contextlib.suppress(RuntimeError, OSError):
            await self.websocket.close(code)
        return False

    # -- the browser to the server ------------------------------------------------------------

    async def listen(self) -> None:
        while True:
            received = await self.websocket.receive()
            if received["type"] == "websocket.disconnect":
                return
            data = received.get("bytes")
            if data is None:  # text frames are not part of the protocol
                await self.close(POLICY_VIOLATION)
                return
            try:
                message = parse(data, self.max_message)
            except BadMessage:
                await self.close(TOO_BIG if len(data) > self.max_message else POLICY_VIOLATION)
                return
            if isinstance(message, SyncStep1):
                kept = await self.answer(message.state_vector)
            elif isinstance(message, DocUpdate):
                kept = await self.take_update(message.update)
            else:
                kept = await self.take_awareness(message)
            if not kept:
                return

    async def answer(self, state_vector: bytes) -> bool:
        try:
            missing = self.doc.get_update(state_vector)
        except ValueError:
            return await self.close(POLICY_VIOLATION)
        await self.send(sync_message(STEP2, missing))
        return True

    async def take_update(self, update: bytes) -> bool:
        if not self.grant.writable:
            return await self.close(POLICY_VIOLATION)
        if update == service.EMPTY_UPDATE:
            return True
        if self.log_bytes + len(update) > self.max_log:
            return await self.close(TOO_BIG)
        before, before_text = self.doc.get_state(), service.text_of(self.doc)
        try:
            self.doc.apply_update(update)
            text = service.text_of(self.doc)
            foreign = set(self.doc.keys()) - {service.CODE}
        except Exception:  # not a Yjs update, or "code" made into another type
            return await self.close(POLICY_VIOLATION)
        if service.code_bytes(text) > self.max_code:
            return await self.close(TOO_BIG)
        if foreign or "\r" in text:  # CodeMirror never sends a CR: the editors would disagree
            return await self.close(POLICY_VIOLATION)
        if text == before_text and self.doc.get_state() == before:
            return True  # a reconnecting editor re-sent what the server has: nothing to store
        try:
            await anyio.to_thread.run_sync(self._store, update)
        except Gone:
            return await self.close(POLICY_VIOLATION)
        self.log_bytes += len(update)
        return True

    async def take_awareness(self, message: AwarenessUpdate) -> bool:
        stamped = []
        for entry in message.entries:
            if self.client is None:
                self.client = entry.client
            if entry.client != self.client:  # a browser speaks for its own cursor only
                return await self.close(POLICY_VIOLATION)
            self.clock = max(self.clock, entry.clock)
            state = None if entry.state is None else {"cursor": entry.state.get("cursor"), "user": self.user}
            stamped.append(AwarenessEntry(entry.client, entry.clock, state))
        encoded = encode_awareness(stamped)
        self.awareness = encoded if stamped[-1].state is not None else None
        await self.publish({"type": "awareness", "a": base64.b64encode(encoded).decode()})
        return True

    # -- the bus to the browser ---------------------------------------------------------------

    async def forward(self, inbox: Inbox) -> None:
        while True:
            payload = await inbox.get(MAX_STAY_S)
            if payload is None:
                return
            if payload.get("member") == self.id:
                continue
            try:
                await self.relay(payload)
            except (binascii.Error, ValueError, TypeError, KeyError):
                continue  # a malformed bus message: nothing to forward
            except (WebSocketDisconnect, RuntimeError, OSError):
                return  # the socket closed meanwhile

    async def relay(self, payload: dict[str, Any]) -> None:
        kind = payload.get("type")
        if payload.get("refetch"):
            await self.resync()
        elif kind == "update":
            update = base64.b64decode(payload["u"], validate=True)
            self.doc.apply_update(update)
            self.log_bytes += len(update)
            await self.send(sync_message(UPDATE, update))
        elif kind == "awareness":
            await self.send(base64.b64decode(payload["a"], validate=True))
        elif kind == "join" and self.awareness is not None:
            await self.publish({"type": "awareness", "a": base64.b64encode(self.awareness).decode()})

    async def resync(self) -> None:
        before = self.doc.get_state()
        await self.load()
        await self.send(sync_message(UPDATE, self.doc.get_update(before)))

    async def leave(self) -> None:
        """Tell the others this cursor is gone. A null state at the same clock removes it
        (y-protocols allows that), and the page's next state, one tick later, brings it back
        after a reconnect; a later clock here would hide that state."""
        if self.client is not None:
            gone = encode_awareness([AwarenessEntry(self.client, self.clock, None)])
            await self.publish({"type": "awareness", "a": base64.b64encode(gone).decode()})


async def serve_doc(websocket: WebSocket, database: Database, grant: DocGrant, lease: Lease) -> None:
    """Hold one browser's document socket until it closes. The caller authorised it already."""
    peer = DocPeer(websocket, database, grant)
    try:
        await websocket.accept()
        await peer.hub.ready()
        # Subscribed before reading the log: an update stored meanwhile comes from one or both.
        with peer.hub.subscribe(peer.channel) as inbox:
            await peer.load()
            await peer.send(sync_message(STEP1, peer.doc.get_state()))  # for edits made offline
            await peer.publish({"type": "join"})
            try:
                async with anyio.create_task_group() as group:
                    group.start_soon(_then_cancel, peer.forward(inbox), group.cancel_scope)
                    await peer.listen()
                    group.cancel_scope.cancel()
            finally:
                with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
                    await peer.leave()
    finally:
        lease.release()
