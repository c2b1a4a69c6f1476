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
        await asyncio.sleep(poll)
        waited += poll


def event_stream(database: Database, submission_id: str, last_event_id: str | None) -> EventSourceResponse:
    """Replays stored events after `Last-Event-ID` (reconnects resume), then follows new ones."""
    after_id = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    return EventSourceResponse(_events(database, submission_id, after_id), ping=15)
