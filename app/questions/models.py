"""Question versions: the folder's files as JSON plus the spec fields the API filters on."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, utcnow


class QuestionState(StrEnum):
    PENDING = "pending"  # waiting for a worker to grade its reference and solutions
    PUBLISHED = "published"
    REJECTED = "rejected"  # the check failed; `check_failures` says what


class QuestionVersion(Base):
    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("slug", "version", name="uq_questions_slug_version"),
        Index("ix_questions_current", "is_current", "slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    difficulty: Mapped[str] = mapped_column(String(20))
    # ",a,b," so that one portable LIKE filters on SQLite and PostgreSQL alike.
    tags_text: Mapped[str] = mapped_column(Text, default=",")
    frameworks_text: Mapped[str] = mapped_column(String(100), default=",")
    hardware: Mapped[str] = mapped_column(String(10), default="cpu")  # the worker queue it needs
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10))  # bank | admin
    state: Mapped[str] = mapped_column(String(20), default=QuestionState.PENDING.value)
    is_current: Mapped[bool] = mapped_column(default=False)
    check_failures: Mapped[list[Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def tags(self) -> list[str]:
        return [t for t in self.tags_text.split(",") if t]

    @property
    def frameworks(self) -> list[str]:
        return [f for f in self.frameworks_text.split(",") if f]
