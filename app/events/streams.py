"""Following one channel as server-sent events: replay once, then wake only on the bus.

The order matters: subscribe first, then read what is stored after `Last-Event-ID` (one short
database read on a worker thread, with its own session closed before the stream waits), then
yield what the bus brings, skipping ids already sent. An event committed between the two steps
is therefore seen once, from whichever side has it first.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
from sse_starlette.sse import EventSourceResponse
from starlette.types import Receive, Scope, Send

from app.core.settings import Settings

from .bus import bus_url
from .hub import hub_for
from .limits import Lease, registry_for

MAX_STREAM_S = 3600.0  # a stream never outlives its longest possible job by much
PING_S = 15
MAX_EVENT_ID = 2**63 - 1
# Replays that may hold a database connection at once, per process: a small share of the pool
# (app.core.database), so that hundreds of streams opening together wait here for their turn
# and the rest of the API still finds free connections.
REPLAY_CONCURRENCY = 4
_replay_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)

Replay = Callable[[int], list[dict[str, Any]]]  # stored events after an id, oldest first
Frame = Callable[[dict[str, Any]], dict[str, str]]  # an event as an SSE message


def parse_last_event_id(value: str | None) -> int:
    """The id to resume after; anything malformed, negative or huge starts from the beginning."""
    if not value or len(value) > 20 or not value.isascii() or not value.isdigit():
        return 0
    number = int(value)
    return number if number <= MAX_EVENT_ID else 0


class LiveEventSource(EventSourceResponse):
    """An SSE response that gives its lease back however the connection ends."""

    def __init__(self, content: AsyncIterator[dict[str, str]], lease: Lease) -> None:
        super().__init__(content, ping=PING_S)
        self._lease = lease

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._lease.release()


async def follow(
    settings: Settings,
    channel: str,
    after_id: int,
    replay: Replay,
    *,
    last_type: str | None = None,
    max_s: float = MAX_STREAM_S,
) -> AsyncIterator[dict[str, Any]]:
    """Stored events after `after_id`, then live ones, until `last_type` or `max_s`."""
    hub = hub_for(bus_url(settings))
    await hub.ready()
    deadline = anyio.current_time() + max_s
    with hub.subscribe(channel) as inbox:
        fetch = True
        while True:
            if fetch:
                stored = await anyio.to_thread.run_sync(replay, after_id, limiter=_replay_limiter())
                for payload in stored:
                    after_id = payload["id"]
                    yield payload
                    if payload["type"] == last_type:
                        return
            payload_or_none = await inbox.get(deadline - anyio.current_time())
            if payload_or_none is None:
                return
            payload = payload_or_none
            fetch = bool(payload.get("refetch"))  # a gap or an oversized event: read it stored
            if fetch or not _is_new(payload, after_id):
                continue
            after_id = max(after_id, int(payload["id"]))
            yield payload
            if payload["type"] == last_type:
                return


def _replay_limiter() -> anyio.CapacityLimiter:
    """This event loop's limiter (a limiter must not be shared between loops)."""
    loop = asyncio.get_running_loop()
    limiter = _replay_limiters.get(loop)
    if limiter is None:
        limiter = _replay_limiters[loop] = anyio.CapacityLimiter(REPLAY_CONCURRENCY)
    return limiter


def _is_new(payload: dict[str, Any], after_id: int) -> bool:
    event_id = payload.get("id")
    if not isinstance(event_id, int):
        return False
    return event_id > after_id or bool(payload.get("update"))


async def _framed(events: AsyncIterator[dict[str, Any]], frame: Frame) -> AsyncIterator[dict[str, str]]:
    async for payload in events:
        yield frame(payload)


def data_frame(payload: dict[str, Any]) -> dict[str, str]:
    """A submission event: its type as the SSE event name, its data as the message."""
    return {"id": str(payload["id"]), "event": payload["type"], "data": json.dumps(payload["data"])}


def whole_frame(payload: dict[str, Any]) -> dict[str, str]:
    """A timeline event: the whole entry as the message."""
    return {"id": str(payload["id"]), "event": payload["type"], "data": json.dumps(payload, default=str)}


def open_stream(
    settings: Settings,
    channel: str,
    replay: Replay,
    *,
    owner: str | None,
    last_event_id: str | None,
    frame: Frame = data_frame,
    last_type: str | None = None,
) -> LiveEventSource:
    """Count the stream against its caps (429 past them), then follow `channel`."""
    lease = registry_for(settings).acquire("stream", owner)
    events = follow(settings, channel, parse_last_event_id(last_event_id), replay, last_type=last_type)
    return LiveEventSource(_framed(events, frame), lease)
