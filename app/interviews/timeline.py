"""Appending to and reading an interview's timeline (also used by the grading worker)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import InterviewEvent


def add_event(
    db: Session,
    interview_id: int,
    type_: str,
    *,
    question: str | None = None,
    submission_id: str | None = None,
    data: dict[str, Any] | None = None,
) -> InterviewEvent:
    event = InterviewEvent(
        interview_id=interview_id,
        type=type_,
        question=question,
        submission_id=submission_id,
        data=data or {},
    )
    db.add(event)
    return event


def list_timeline(db: Session, interview_id: int, after_id: int = 0) -> list[InterviewEvent]:
    return list(
        db.scalars(
            select(InterviewEvent)
            .where(InterviewEvent.interview_id == interview_id, InterviewEvent.id > after_id)
            .order_by(InterviewEvent.id)
        )
    )


def last_event(db: Session, interview_id: int, type_: str, question: str) -> InterviewEvent | None:
    return db.scalar(
        select(InterviewEvent)
        .where(
            InterviewEvent.interview_id == interview_id,
            InterviewEvent.type == type_,
            InterviewEvent.question == question,
        )
        .order_by(InterviewEvent.id.desc())
        .limit(1)
    )
