"""Replaying a shared document's log, keystroke by keystroke, for playback.

    with database.session() as db:
        for step in text_history(db, session_id, "softmax"):
            print(step.at, step.role, len(step.text))

Each step is one stored update that changed the text, in the order the server stored them, as
an `(at, role, text)` tuple: when it was stored, who typed it (candidate, interviewer, or
starter for the text the document starts from) and the whole text after it, with LF line
breaks. That is the shape `app.interviews.playback` plays. Updates that changed nothing visible
(a reconnecting editor re-sending what the server had) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

from pycrdt import Doc, Text
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .models import PairUpdate
from .service import CODE

BATCH = 500  # rows read at a time: a long session's log never sits in memory whole


class HistoryStep(NamedTuple):
    at: datetime
    role: str
    text: str


def text_history(db: Session, interview_id: int, slug: str) -> Iterator[HistoryStep]:
    """The text of (session, question) after each stored update that changed it, oldest first."""
    doc: Doc[Any] = Doc()
    text = doc.get(CODE, type=Text)
    previous: str | None = None
    rows = db.execute(
        select(PairUpdate.at, PairUpdate.role, PairUpdate.update)
        .where(PairUpdate.interview_id == interview_id, PairUpdate.question == slug)
        .order_by(PairUpdate.seq)
        .execution_options(yield_per=BATCH)
    )
    for at, role, update in rows:
        doc.apply_update(bytes(update))
        current = str(text)
        if current != previous:
            previous = current
            yield HistoryStep(at, role, current)


def has_pair_log(db: Session, interview_id: int, slug: str) -> bool:
    """Whether (session, question) was ever opened in the shared editor."""
    found = exists().where(PairUpdate.interview_id == interview_id, PairUpdate.question == slug)
    return bool(db.scalar(select(found)))
