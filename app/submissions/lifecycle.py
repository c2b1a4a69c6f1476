"""Worker-side state transitions of a submission, each a conditional UPDATE.

Stored events reach the bus once committed (see app/events/capture.py).

`claim` moves queued -> running and bumps `attempt`; `finish` moves running -> done only for
the attempt that claimed it; `release` hands a running row back to the queue after an
infrastructure failure. Because every write names the state and attempt it expects, a
redelivered or duplicated task, or a worker that the reaper presumed dead, changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, insert, literal, select, update
from sqlalchemy.orm import Session

from app.core.database import Database, after_commit, utcnow
from app.events import capture
from app.events.bus import publish
from app.interviews.timeline import add_event as add_interview_event
from app.questions.models import QuestionVersion

from .models import State, Submission, SubmissionEvent


@dataclass(frozen=True)
class Claim:
    submission_id: str
    attempt: int
    question: QuestionVersion
    framework: str
    code: str
    mode: str


def claim(database: Database, submission_id: str, worker: str, hardware: str) -> Claim | None:
    """Take a queued submission for this worker, or None if it is not (or no longer) queued."""
    with database.session() as db:
        result = db.execute(
            update(Submission)
            .where(Submission.id == submission_id, Submission.state == State.QUEUED.value)
            .values(
                state=State.RUNNING.value,
                attempt=Submission.attempt + 1,
                started_at=utcnow(),
                worker=worker,
                hardware=hardware,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = db.get(Submission, submission_id, populate_existing=True)
        assert row is not None
        question = db.get(QuestionVersion, row.question_id)
        assert question is not None
        event = {"type": "running", "attempt": row.attempt, "worker": worker}
        db.add(SubmissionEvent(submission_id=row.id, attempt=row.attempt, type="running", data=event))
        return Claim(row.id, row.attempt, question, row.framework, row.code, row.mode)


def record_event(database: Database, claim_: Claim, event: dict[str, Any]) -> None:
    """Store a progress event, only while this attempt still owns the submission."""
    owned = exists().where(
        Submission.id == claim_.submission_id,
        Submission.attempt == claim_.attempt,
        Submission.state == State.RUNNING.value,
    )
    source = select(
        literal(claim_.submission_id),
        literal(claim_.attempt),
        literal(str(event.get("type", "progress"))[:20]),
        literal(event, SubmissionEvent.data.type),
        literal(utcnow(), SubmissionEvent.created_at.type),
    ).where(owned)
    columns = ["submission_id", "attempt", "type", "data", "created_at"]
    with database.session() as db:
        stored = db.scalar(insert(SubmissionEvent).from_select(columns, source).returning(SubmissionEvent.id))
        if stored is not None:  # a plain INSERT: published here, once it has committed
            channel = capture.submission_channel(claim_.submission_id)
            payload = {"id": stored, "type": str(event.get("type", "progress"))[:20], "data": event}
            after_commit(db, lambda: publish(database.settings, channel, payload))


def finish(database: Database, submission_id: str, attempt: int, verdict: dict[str, Any]) -> bool:
    """Write the one verdict; False if this attempt had lost the submission meanwhile."""
    with database.session() as db:
        row = db.get(Submission, submission_id)
        if row is None:
            return False
        now = utcnow()
        timing = verdict.get("timing") or {}
        runtime = timing.get("submission_ms") if verdict.get("status") == "accepted" else None
        result = db.execute(
            update(Submission)
            .where(
                Submission.id == submission_id,
                Submission.state == State.RUNNING.value,
                Submission.attempt == attempt,
            )
            .values(
                state=State.DONE.value,
                status=verdict["status"],
                verdict=verdict,
                finished_at=now,
                grading_ms=_ms(now - row.started_at) if row.started_at else None,
                latency_ms=_ms(now - row.created_at),
                runtime_ms=runtime,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        _record_verdict(db, row, attempt, verdict)
        return True


def _record_verdict(db: Session, row: Submission, attempt: int, verdict: dict[str, Any]) -> None:
    """The verdict event (the end of the SSE stream) and the interview's timeline entry,
    written in the same transaction as the verdict itself."""
    data = {"type": "verdict", "status": verdict["status"], "verdict": verdict}
    db.add(SubmissionEvent(submission_id=row.id, attempt=attempt, type="verdict", data=data))
    if row.interview_id is not None:
        add_interview_event(
            db,
            row.interview_id,
            "verdict",
            question=row.question_slug,
            submission_id=row.id,
            data={
                "status": verdict["status"],
                "mode": row.mode,
                "message": verdict.get("message"),
            },
        )


def release(database: Database, submission_id: str, attempt: int, reason: str) -> bool:
    """Put a running row back in the queue (an infrastructure failure); True if it was ours."""
    with database.session() as db:
        result = db.execute(
            update(Submission)
            .where(
                Submission.id == submission_id,
                Submission.state == State.RUNNING.value,
                Submission.attempt == attempt,
            )
            .values(state=State.QUEUED.value, queued_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        data = {"type": "requeued", "attempt": attempt, "reason": reason}
        db.add(SubmissionEvent(submission_id=submission_id, attempt=attempt, type="requeued", data=data))
        return True


def _ms(delta: Any) -> float:
    return round(float(delta.total_seconds()) * 1000.0, 3)
