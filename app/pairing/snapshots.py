"""Snapshots of a shared document: its merged state up to a point of its log.

Loading a document replays its snapshot and only the updates stored after it, so the cost
follows that tail (under `SNAPSHOT_EVERY` updates), not the whole log. The log is never
shortened: playback (`history.text_history`) still replays every keystroke from it.

A snapshot is written by the append that makes the tail `SNAPSHOT_EVERY` long, inside that
append's transaction. The appender holds the session row's lock (PostgreSQL) or the database's
write lock (SQLite), so every update up to its own number is committed and none is being added.
The state is built from the previous snapshot plus the updates with numbers up to the new one,
never past it (log rows never change once stored), and replaces the stored snapshot only if it
covers more of the log: two writers can never leave an older snapshot over a newer one.

Stored snapshot bytes are not trusted: one whose digest does not match or that does not decode
is skipped, and the document is rebuilt from its whole log; the next snapshot replaces it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc
from sqlalchemy import ColumnElement, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.database import utcnow

from .models import PairSnapshot, PairUpdate

log = logging.getLogger(__name__)

SNAPSHOT_EVERY = 500  # updates after the snapshot before the next one: a load replays fewer


@dataclass
class Replayed:
    """A document rebuilt from storage."""

    doc: Doc[Any]
    seq: int  # the last update it includes (0: nothing is stored)
    log_bytes: int  # the size of the updates up to `seq`, all of them, snapshot or not


def digest_of(state: bytes) -> str:
    return hashlib.sha256(state).hexdigest()


def _log_of(interview_id: int, slug: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return PairUpdate.interview_id == interview_id, PairUpdate.question == slug


def latest_snapshot(db: Session, interview_id: int, slug: str) -> PairSnapshot | None:
    query = select(PairSnapshot).where(PairSnapshot.interview_id == interview_id, PairSnapshot.question == slug)
    return db.scalar(query)


def restored(snapshot: PairSnapshot) -> Doc[Any] | None:
    """The snapshot's document, or None where its bytes are not what was written."""
    state = bytes(snapshot.state)
    if digest_of(state) != snapshot.digest:
        return None
    doc: Doc[Any] = Doc()
    try:
        doc.apply_update(state)
    except ValueError:  # pycrdt's "Cannot decode update"
        return None
    return doc


def _apply_log(db: Session, start: Replayed, interview_id: int, slug: str, upto: int | None) -> Replayed:
    """`start` brought forward by the updates after its `seq`, up to `upto` (None: all)."""
    query = select(PairUpdate.seq, PairUpdate.update).where(*_log_of(interview_id, slug), PairUpdate.seq > start.seq)
    if upto is not None:
        query = query.where(PairUpdate.seq <= upto)
    last, log_bytes = start.seq, start.log_bytes
    for seq, update in db.execute(query.order_by(PairUpdate.seq)):
        start.doc.apply_update(bytes(update))
        last, log_bytes = seq, log_bytes + len(update)
    return Replayed(start.doc, last, log_bytes)


def _starting_point(db: Session, interview_id: int, slug: str, upto: int | None) -> Replayed:
    """The snapshot to replay from where it is usable and within `upto`, else the empty document."""
    snapshot = latest_snapshot(db, interview_id, slug)
    if snapshot is not None and (upto is None or snapshot.seq <= upto):
        doc = restored(snapshot)
        if doc is not None:
            return Replayed(doc, snapshot.seq, snapshot.log_bytes)
        log.warning("unreadable snapshot of session %s, %s: replaying the whole log", interview_id, slug)
    return Replayed(Doc(), 0, 0)


def replay(db: Session, interview_id: int, slug: str, upto: int | None = None) -> Replayed:
    """The document as of update `upto` (None: the latest): its snapshot plus the updates after it."""
    return _apply_log(db, _starting_point(db, interview_id, slug, upto), interview_id, slug, upto)


def write_snapshot(db: Session, interview_id: int, slug: str, replayed: Replayed) -> None:
    """Store `replayed` as the document's snapshot unless the stored one covers as much."""
    state = replayed.doc.get_update()
    values = {
        "interview_id": interview_id,
        "question": slug,
        "seq": replayed.seq,
        "state": state,
        "digest": digest_of(state),
        "log_bytes": replayed.log_bytes,
        "at": utcnow(),
    }
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(PairSnapshot).values(**values)
    newer = {name: statement.excluded[name] for name in ("seq", "state", "digest", "log_bytes", "at")}
    db.execute(
        statement.on_conflict_do_update(
            index_elements=["interview_id", "question"], set_=newer, where=PairSnapshot.seq < statement.excluded.seq
        )
    )


def snapshot_if_due(db: Session, interview_id: int, slug: str, seq: int) -> bool:
    """After storing update `seq`: snapshot the document up to it once the tail since the last
    snapshot is `SNAPSHOT_EVERY` long. Only under the append's lock (see the module's notes)."""
    covered = db.scalar(
        select(PairSnapshot.seq).where(PairSnapshot.interview_id == interview_id, PairSnapshot.question == slug)
    )
    if seq - (covered or 0) < SNAPSHOT_EVERY:
        return False
    write_snapshot(db, interview_id, slug, replay(db, interview_id, slug, upto=seq))
    return True
