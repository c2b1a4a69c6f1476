"""The worker side of publishing: grade a pending version's references and solutions.

`workers.grading.checks.check_question` grades every reference and solutions/ file; the ones
that miss their expected verdict are the failures; the version is then
published or rejected with those failures, once (guarded on its pending state).

None of the version's code runs in this process: its references and solutions run in
sandboxed runners, and its cases.py (make_inputs, check) in a sandboxed case runner.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.database import Database
from workers.grading.spec import Question

from .models import QuestionState, QuestionVersion
from .service import as_question, publish, reject


def _failures(question: Question, launcher: Any) -> list[Any]:
    """What `workers.grading.checks` found wrong: each outcome that missed its verdict."""
    from workers.grading.checks import check_question
    from workers.grading.judge import GradeConfig

    # Verdicts are what matter here, not precise speed figures: a quarter of the timing budget.
    outcomes = check_question(question, GradeConfig(launcher=launcher, speed_budget_scale=0.25))
    return [
        {
            "file": o.item.file,
            "framework": o.item.framework,
            "expected": o.item.expect.value,
            "got": o.got.value,
            "message": o.message,
        }
        for o in outcomes
        if not o.ok
    ]


def _pending(database: Database, version_id: int) -> QuestionVersion | None:
    with database.session() as db:
        return db.scalar(
            select(QuestionVersion).where(
                QuestionVersion.id == version_id,
                QuestionVersion.state == QuestionState.PENDING.value,
            )
        )


def run_check(database: Database, version_id: int, launcher: Any) -> str:
    row = _pending(database, version_id)
    if row is None:
        return "skipped"  # already decided: a redelivered task
    failures = _failures(as_question(row), launcher)
    with database.session() as db:
        current = db.get(QuestionVersion, version_id, with_for_update=True)
        if current is None or current.state != QuestionState.PENDING.value:
            return "skipped"
        if failures:
            reject(current, failures)
            return "rejected"
        publish(db, current)
        return "published"


def record_check_crash(database: Database, version_id: int, error: str) -> None:
    with database.session() as db:
        row = db.get(QuestionVersion, version_id, with_for_update=True)
        if row is not None and row.state == QuestionState.PENDING.value:
            reject(row, [f"the checker crashed on our side: {error}"])
