"""Server-sent events for one submission: its stored events, then the bus, until the verdict."""

from __future__ import annotations

from typing import Any

from app.core.database import Database
from app.events.capture import submission_channel
from app.events.streams import LiveEventSource, open_stream

from .service import events_after


def stored_events(database: Database, submission_id: str) -> Any:
    """The one database read a stream makes (more only after a gap on the bus)."""

    def replay(after_id: int) -> list[dict[str, Any]]:
        with database.session() as db:
            return [{"id": e.id, "type": e.type, "data": e.data} for e in events_after(db, submission_id, after_id)]

    return replay


def event_stream(
    database: Database, submission_id: str, last_event_id: str | None, *, owner: str | None = None
) -> LiveEventSource:
    """Replays stored events after `Last-Event-ID` (reconnects resume), then follows new ones.

    The caller has authorised the stream already; `owner` is whose caps it counts against
    ("account:<id>" or "link:<session id>").
    """
    return open_stream(
        database.settings,
        submission_channel(submission_id),
        stored_events(database, submission_id),
        owner=owner,
        last_event_id=last_event_id,
        last_type="verdict",
    )
