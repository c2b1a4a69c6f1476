"""Submission rows and their progress events (the SSE stream is read from the events)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, utcnow


class State(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


ACTIVE_STATES = (State.QUEUED.value, State.RUNNING.value)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_user_created", "user_id", "created_at"),
        Index("ix_submissions_state_queued", "state", "queued_at"),
        Index("ix_submissions_slug_status", "question_slug", "status"),
        Index("ix_submissions_interview", "interview_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interview_sessions.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    question_slug: Mapped[str] = mapped_column(String(64))
    question_version: Mapped[int]
    framework: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(10))  # run | submit
    code: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default=State.QUEUED.value)
    status: Mapped[str | None] = mapped_column(String(30))  # the verdict status once done
    verdict: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # GradeResult.to_json()
    queue: Mapped[str] = mapped_column(String(10))  # hardware class: cpu | gpu
    attempt: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str | None] = mapped_column(String(200))
    hardware: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    grading_ms: Mapped[float | None] = mapped_column(Float)  # claim to verdict
    latency_ms: Mapped[float | None] = mapped_column(Float)  # submit to verdict
    runtime_ms: Mapped[float | None] = mapped_column(Float)  # the submission's median call time


class SubmissionEvent(Base):
    __tablename__ = "submission_events"

    id: Mapped[int] = mapped_column(primary_key=True)  # also the SSE event id
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(default=0)
    type: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WorkerHeartbeat(Base):
    """Workers seen: each worker process upserts its row every few seconds."""

    __tablename__ = "worker_heartbeats"

    hostname: Mapped[str] = mapped_column(String(200), primary_key=True)
    queues: Mapped[str] = mapped_column(String(100))
    hardware: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RunnerPoolState(Base):
    """A worker process's warm-runner pool, reported every few seconds (health and metrics)."""

    __tablename__ = "runner_pools"

    process: Mapped[str] = mapped_column(String(220), primary_key=True)  # "hostname:pid"
    hostname: Mapped[str] = mapped_column(String(200))
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
