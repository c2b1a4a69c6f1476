"""Publish stored events after their commit, whatever code stored them.

Every session that a `Database` opened (API requests, the grading worker, the reaper) collects
the submission and timeline events it flushed; once the transaction commits they go to the bus,
and a rollback drops them. So nothing is announced that a reader could not find in the database,
and no code path that adds an event can forget to publish it. Importing this module installs
the hooks (the submission service and the worker's lifecycle import it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.settings import Settings
from app.interviews.models import InterviewEvent
from app.submissions.models import SubmissionEvent

from .bus import publish

_PENDING = "events_to_publish"


def submission_channel(submission_id: str) -> str:
    return f"submission:{submission_id}"


def interview_channel(interview_id: int) -> str:
    return f"interview:{interview_id}"


def submission_payload(row: SubmissionEvent) -> dict[str, Any]:
    return {"id": row.id, "type": row.type, "data": row.data}


def interview_payload(row: InterviewEvent, *, update: bool = False) -> dict[str, Any]:
    return {
        "id": row.id,
        "type": row.type,
        "question": row.question,
        "submission_id": row.submission_id,
        "data": row.data,
        "at": row.at.isoformat() if row.at is not None else None,
        "update": update,
    }


@event.listens_for(Session, "after_flush")
def _collect(db: Session, _context: Any) -> None:
    if "settings" not in db.info:
        return
    pending: dict[tuple[str, int], tuple[str, dict[str, Any]]] = db.info.setdefault(_PENDING, {})
    for row in db.new:
        if isinstance(row, SubmissionEvent):
            pending[("s", row.id)] = (submission_channel(row.submission_id), submission_payload(row))
        elif isinstance(row, InterviewEvent):
            pending[("i", row.id)] = (interview_channel(row.interview_id), interview_payload(row))
    for row in db.dirty:
        if isinstance(row, InterviewEvent) and ("i", row.id) not in pending:
            # A draft typed in quick bursts updates its entry in place: announced as an update.
            pending[("i", row.id)] = (interview_channel(row.interview_id), interview_payload(row, update=True))
        elif isinstance(row, InterviewEvent):
            channel, payload = pending[("i", row.id)]
            pending[("i", row.id)] = (channel, interview_payload(row, update=payload["update"]))


@event.listens_for(Session, "after_commit")
def _publish(db: Session) -> None:
    pending = db.info.pop(_PENDING, None)
    if not pending:
        return
    settings: Settings = db.info["settings"]
    for channel, payload in pending.values():
        publish(settings, channel, payload)


@event.listens_for(Session, "after_soft_rollback")
def _drop(db: Session, _transaction: Any) -> None:
    db.info.pop(_PENDING, None)
