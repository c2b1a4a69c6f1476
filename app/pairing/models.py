"""The append-only log of a shared document's Yjs updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, utcnow


class PairUpdate(Base):
    """One Yjs update to the code of one question of one session, in the order it was stored.

    Applying a document's updates in `seq` order rebuilds it (Yjs updates commute, so any order
    gives the same final text; `seq` order gives the keystroke-level history). `role` is who
    typed it: candidate, interviewer, or starter (the starting text the server writes once).
    """

    __tablename__ = "pair_updates"
    # One row per position: two processes appending at once cannot both take the same number.
    __table_args__ = (UniqueConstraint("interview_id", "question", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview_sessions.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    role: Mapped[str] = mapped_column(String(12))
    update: Mapped[bytes] = mapped_column(LargeBinary)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PairSnapshot(Base):
    """A document's whole state up to a point of its log, so that loading it replays only what
    came after (`app.pairing.snapshots`). One row per document, replaced only by a newer one.

    `state` is the merged Yjs state of every update with `seq <= seq` (a Yjs update itself),
    `digest` its SHA-256 (hex) so that altered bytes are noticed before they are used, and
    `log_bytes` the total size of those updates (the socket caps a document's log by it).
    """

    __tablename__ = "pair_snapshots"
    __table_args__ = (UniqueConstraint("interview_id", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview_sessions.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    state: Mapped[bytes] = mapped_column(LargeBinary)
    digest: Mapped[str] = mapped_column(String(64))
    log_bytes: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
