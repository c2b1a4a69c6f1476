"""What a worker does with a submission id: claim, grade with the engine, write the verdict.

Only infrastructure failures (an exception from the engine, or its internal_error verdict) are
retried, by handing the row back to the queue; a candidate's failure is a final verdict.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from app.core.database import Database
from app.questions.service import as_question
from workers.celery_app import send_grade
from workers.grading.verdict import GradeResult, Status

from . import lifecycle

log = logging.getLogger(__name__)

GradeFn = Callable[..., GradeResult]


class Outcome(StrEnum):
    SKIPPED = "skipped"  # not queued any more: a duplicate or stale message
    FINISHED = "finished"
    REQUEUED = "requeued"
    LOST = "lost"  # graded, but another attempt owns the row now


def run_grading(
    database: Database,
    submission_id: str,
    *,
    worker: str,
    hardware: str,
    config: Any = None,
    grade: GradeFn | None = None,
) -> Outcome:
    """Grade one submission; `config` is the engine's GradeConfig (launcher, warm runners)."""
    claim = lifecycle.claim(database, submission_id, worker, hardware)
    if claim is None:
        return Outcome.SKIPPED
    result = _grade(database, claim, config, grade or _engine_grade())
    failed_on_our_side = result is None or result.status.is_infrastructure_failure
    if failed_on_our_side and claim.attempt < database.settings.max_attempts:
        reason = result.message if result is not None else "the grader crashed"
        return _requeue(database, claim, reason)
    if result is None:
        result = GradeResult(
            Status.INTERNAL_ERROR,
            f"grading failed on our side {claim.attempt} times; this is not a verdict on your code",
        )
    verdict = result.to_json()
    if hardware and not (verdict.get("timing") or {}).get("device"):
        verdict.setdefault("timing", {})["device"] = hardware
    return Outcome.FINISHED if lifecycle.finish(database, claim.submission_id, claim.attempt, verdict) else Outcome.LOST


def _engine_grade() -> GradeFn:
    from workers.grading.judge import grade

    return grade


def _grade(database: Database, claim: lifecycle.Claim, config: Any, grade: GradeFn) -> GradeResult | None:
    def on_event(event: dict[str, Any]) -> None:
        # The verdict event is written by `finish`, atomically with the verdict itself.
        if event.get("type") != "verdict":
            lifecycle.record_event(database, claim, {**event, "attempt": claim.attempt})

    try:
        question = as_question(claim.question)
        return grade(question, claim.framework, claim.code, claim.mode, on_event=on_event, config=config)
    except Exception:
        log.exception("grading submission %s crashed", claim.submission_id)
        return None


def _requeue(database: Database, claim: lifecycle.Claim, reason: str) -> Outcome:
    if not lifecycle.release(database, claim.submission_id, claim.attempt, reason):
        return Outcome.LOST
    try:
        send_grade(database.settings, claim.submission_id, claim.question.hardware)
    except Exception:
        # The row is queued and committed: the reaper sends it again once the broker is back.
        log.exception("could not re-send submission %s", claim.submission_id)
    return Outcome.REQUEUED
