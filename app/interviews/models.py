"""Interview sessions and their timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, utcnow


class InterviewSession(Base):
    __tablename__ = "interview_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    candidate_name: Mapped[str] = mapped_column(String(200), default="")
    framework: Mapped[str] = mapped_column(String(10))
    duration_min: Mapped[int]
    # [{"slug": ..., "question_id": ...}]: versions pinned when the session is created.
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    link_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # ended by the interviewer
    scorecard: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A copy of the rubric chosen at creation ({"id", "name", "criteria"}), so that later edits
    # of the rubric never change this session's report; None for sessions older than rubrics.
    rubric: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Take-home sessions (see app/interviews/takehome.py): the candidate may start between these
    # two; None for a live session. `finalized_at` is when the server handed the session in at
    # its deadline (or marked it expired), exactly once.
    window_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InterviewEvent(Base):
    """One timeline entry: opened, draft, run, submit, verdict, ended, note."""

    __tablename__ = "interview_events"
    __table_args__ = (Index("ix_interview_events_session", "interview_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview_sessions.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20))
    question: Mapped[str | None] = mapped_column(String(64))
    submission_id: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
