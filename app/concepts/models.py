"""Concept practice: each answer to a concept card and how well the user says they knew it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, UTCDateTime, utcnow


class ConceptReview(Base):
    __tablename__ = "concept_reviews"
    __table_args__ = (Index("ix_concept_reviews_user_slug", "user_id", "question_slug", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_slug: Mapped[str] = mapped_column(String(64))
    question_version: Mapped[int]
    # The output typed for predict-output, or the free answer for a short answer.
    answer: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")  # predict-output's reasoning, not graded
    choice: Mapped[int | None]  # the option picked, for multiple choice
    choices: Mapped[list[int] | None] = mapped_column(JSON)  # every option picked, for multiple select
    correct: Mapped[bool | None]  # None where only the user can judge (short answers)
    rating: Mapped[str | None] = mapped_column(String(10))  # again | hard | good | easy
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
