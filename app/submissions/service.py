"""Creating and reading submissions. Functions never commit; the job is sent after the commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.database import after_commit, settings_of
from app.core.errors import Invalid, NotFound, PayloadTooLarge, TooManyRequests
from app.events import capture  # noqa: F401  (publishes stored events after each commit)
from app.questions.models import QuestionVersion
from app.questions.service import get_current
from workers.celery_app import send_grade

from .models import ACTIVE_STATES, State, Submission, SubmissionEvent
from .schemas import SubmissionOut


def _check_code_size(db: Session, code: str) -> None:
    limit = settings_of(db).max_code_bytes
    size = len(code.encode("utf-8", errors="surrogatepass"))
    if size > limit:
        raise PayloadTooLarge(
            f"the code is {size} bytes; the limit is {limit} bytes ({limit // 1024} KiB)",
            limit_bytes=limit,
            size_bytes=size,
        )


def _check_question(row: QuestionVersion, framework: str) -> None:
    if row.kind != "coding":
        raise Invalid(f"'{row.slug}' is a concept question: it is answered, not run")
    if framework not in row.frameworks:
        raise Invalid(
            f"'{row.slug}' has no {framework} version; it supports {', '.join(row.frameworks)}",
            frameworks=row.frameworks,
        )


def _check_queue_limit(db: Session, *, user: User | None, interview_id: int | None) -> None:
    """At most `max_queued_per_user` unfinished jobs per user (or per interview)."""
    limit = settings_of(db).max_queued_per_user
    query = select(func.count()).select_from(Submission).where(Submission.state.in_(ACTIVE_STATES))
    if user is not None:
        # Locking the user's row serialises their concurrent submits on PostgreSQL.
        db.execute(select(User.id).where(User.id == user.id).with_for_update())
        query = query.where(Submission.user_id == user.id)
    else:
        query = query.where(Submission.interview_id == interview_id)
    waiting = db.scalar(query) or 0
    if waiting >= limit:
        raise TooManyRequests(
            f"{waiting} submissions are still waiting; at most {limit} may wait at once",
            limit=limit,
        )


def create_submission(
    db: Session,
    *,
    question: str | QuestionVersion,
    framework: str,
    code: str,
    mode: str,
    user: User | None = None,
    interview_id: int | None = None,
    enforce_queue_limit: bool = True,
) -> Submission:
    """Store a queued submission and send its id to the worker queue once committed.

    `question` is a slug (its current version) or a pinned version row (interviews). Only the
    server's own submissions (a take-home handed in at its deadline) skip the queue limit.
    """
    _check_code_size(db, code)
    row = get_current(db, question) if isinstance(question, str) else question
    _check_question(row, framework)
    if enforce_queue_limit:
        _check_queue_limit(db, user=user, interview_id=interview_id)
    submission = Submission(
        id=uuid.uuid4().hex,
        user_id=user.id if user is not None else None,
        interview_id=interview_id,
        question_id=row.id,
        question_slug=row.slug,
        question_version=row.version,
        framework=framework,
        mode=mode,
        code=code,
        state=State.QUEUED.value,
        queue=row.hardware,
    )
    db.add(submission)
    db.flush()
    db.add(SubmissionEvent(submission_id=submission.id, type="queued", data={"type": "queued"}))
    settings, submission_id, queue = settings_of(db), submission.id, row.hardware
    after_commit(db, lambda: send_grade(settings, submission_id, queue))
    return submission


def get_for_user(db: Session, user: User, submission_id: str) -> Submission:
    """The caller's own submission; anyone else's answers 404 so that ids cannot be probed."""
    submission = db.get(Submission, submission_id)
    if submission is None or submission.user_id != user.id:
        raise NotFound("no such submission")
    return submission


def get_for_interview(db: Session, interview_id: int, submission_id: str) -> Submission:
    submission = db.get(Submission, submission_id)
    if submission is None or submission.interview_id != interview_id:
        raise NotFound("no such submission")
    return submission


def list_for_user(db: Session, user: User, question: str | None = None, limit: int = 50) -> list[Submission]:
    query = select(Submission).where(Submission.user_id == user.id)
    if question:
        query = query.where(Submission.question_slug == question)
    return list(db.scalars(query.order_by(Submission.created_at.desc()).limit(limit)))


def list_for_question(db: Session, question: str, user: User | None = None, limit: int = 50) -> list[Submission]:
    """A question's submissions, newest first (only `user`'s when given)."""
    query = select(Submission).where(Submission.question_slug == question)
    if user is not None:
        query = query.where(Submission.user_id == user.id)
    return list(db.scalars(query.order_by(Submission.created_at.desc()).limit(limit)))


def accepted_runtimes(
    db: Session, question: str, framework: str | None = None, limit: int = 2000
) -> list[dict[str, Any]]:
    """Median call times of accepted submissions, for the runtime distribution chart."""
    query = select(Submission.id, Submission.runtime_ms, Submission.framework).where(
        Submission.question_slug == question,
        Submission.status == "accepted",
        Submission.runtime_ms.is_not(None),
    )
    if framework:
        query = query.where(Submission.framework == framework)
    rows = db.execute(query.order_by(Submission.finished_at.desc()).limit(limit)).all()
    return [{"submission_id": r.id, "runtime_ms": r.runtime_ms, "framework": r.framework} for r in rows]


def to_out(submission: Submission, *, with_code: bool = True) -> SubmissionOut:
    status = submission.status if submission.state == State.DONE else submission.state
    return SubmissionOut(
        id=submission.id,
        question=submission.question_slug,
        question_version=submission.question_version,
        framework=submission.framework,
        mode=submission.mode,
        state=submission.state,
        status=status or submission.state,
        verdict=submission.verdict,
        attempt=submission.attempt,
        worker=submission.worker,
        hardware=submission.hardware,
        created_at=submission.created_at,
        started_at=submission.started_at,
        finished_at=submission.finished_at,
        grading_ms=submission.grading_ms,
        latency_ms=submission.latency_ms,
        runtime_ms=submission.runtime_ms,
        code=submission.code if with_code else None,
    )


def events_after(db: Session, submission_id: str, after_id: int) -> list[SubmissionEvent]:
    return list(
        db.scalars(
            select(SubmissionEvent)
            .where(SubmissionEvent.submission_id == submission_id, SubmissionEvent.id > after_id)
            .order_by(SubmissionEvent.id)
        )
    )
