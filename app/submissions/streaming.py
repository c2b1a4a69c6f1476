"""Server-sent events for one submission, read from its stored events until the verdict."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
from sse_starlette.sse import EventSourceResponse

from app.core.database import Database

from .service import events_after

MAX_STREAM_S = 3600.0  # a stream never outlives its longest possible job by much
# A warm `run` verdict lands about 0.1 s after the submission: the first seconds of a stream
# are polled this often, so the verdict is not held back by a whole poll interval.
FAST_POLL_S = 0.02
FAST_PHASE_S = 2.0


def _fetch(database: Database, submission_id: str, after_id: int) -> list[dict[str, Any]]:
    with database.session() as db:
        return [{"id": e.id, "type": e.type, "data": e.data} for e in events_after(db, submission_id, after_id)]


async def _events(database: Database, submission_id: str, after_id: int) -> AsyncIterator[dict[str, Any]]:
    poll = database.settings.sse_poll_interval_s
    waited = 0.0
    while waited < MAX_STREAM_S:
        events = await anyio.to_thread.run_sync(_fetch, database, submission_id, after_id)
        for event in events:
            after_id = event["id"]
            yield {
                "id": str(event["id"]),
                "event": event["type"],
                "data": json.dumps(event["data"]),
            }
            if event["type"] == "verdict":
                return
        interval = min(poll, FAST_POLL_S) if waited < FAST_PHASE_S else poll
        await asyncio.sleep(interval)
        waited += interval


def event_stream(database: Database, submission_id: str, last_event_id: str | None) -> EventSourceResponse:
    """Replays stored events after `Last-Event-ID` (reconnects resume), then follows new ones."""
    after_id = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    return EventSourceResponse(_events(database, submission_id, after_id), ping=15)
