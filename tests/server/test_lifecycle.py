"""The submission state machine: duplicates, retries of our own failures, the reaper.

These drive `run_grading` and `reap_once` directly with a stand-in grade function, so each
transition is checked exactly; real grading by worker processes is in the other modules.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.database import Database, utcnow
from app.questions.service import get_current
from app.submissions import grading, reaper
from app.submissions.grading import Outcome, run_grading
from app.submissions.models import Submission, SubmissionEvent
from workers.grading.verdict import GradeResult, Status

from .support import Stack


@pytest.fixture
def database(stack: Stack) -> Iterator[Database]:
    settings = stack.settings.model_copy(
        update={"running_deadline_s": 5.0, "queued_deadline_s": 5.0, "max_attempts": 3}
    )
    db = Database(settings)
    yield db
    db.dispose()


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Ids that would have gone to the broker (kept away from any running worker)."""
    ids: list[str] = []
    fake = lambda _settings, submission_id, _queue: ids.append(submission_id)  # noqa: E731
    monkeypatch.setattr(grading, "send_grade", fake)
    monkeypatch.setattr(reaper, "send_grade", fake)
    return ids


def queued_row(database: Database, **values: Any) -> str:
    with database.session() as db:
        question = get_current(db, "softmax")
        row = Submission(
            id=uuid.uuid4().hex, question_id=question.id, question_slug="softmax", question_version=1,
            framework="torch", mode="run", code="pass", queue="cpu", **values,
        )  # fmt: skip
        db.add(row)
        return row.id


def verdicts(database: Database, submission_id: str) -> int:
    with database.session() as db:
        query = select(func.count()).where(
            SubmissionEvent.submission_id == submission_id, SubmissionEvent.type == "verdict"
        )
        return int(db.scalar(query) or 0)


def row(database: Database, submission_id: str) -> Submission:
    with database.session() as db:
        found = db.get(Submission, submission_id)
        assert found is not None
        return found


def accepted(*_: Any, on_event: Any = None, **__: Any) -> GradeResult:
    on_event({"type": "test", "name": "small", "passed": True, "visible": True})
    return GradeResult(Status.ACCEPTED, "all good")


def crashing(*_: Any, **__: Any) -> GradeResult:
    raise OSError("the sandbox could not start")


def test_a_duplicate_task_is_harmless(database: Database, sent: list[str]) -> None:
    submission_id = queued_row(database)
    first = run_grading(database, submission_id, worker="w1", hardware="cpu", grade=accepted)
    again = run_grading(database, submission_id, worker="w2", hardware="cpu", grade=accepted)
    assert (first, again) == (Outcome.FINISHED, Outcome.SKIPPED)
    done = row(database, submission_id)
    assert done.state == "done" and done.status == "accepted" and done.worker == "w1"
    assert verdicts(database, submission_id) == 1 and sent == []


def test_user_failures_are_final(database: Database, sent: list[str]) -> None:
    submission_id = queued_row(database)
    wrong = lambda *a, **k: GradeResult(Status.TIME_LIMIT_EXCEEDED, "too slow")  # noqa: E731
    assert run_grading(database, submission_id, worker="w", hardware="cpu", grade=wrong) == Outcome.FINISHED
    assert row(database, submission_id).status == "time_limit_exceeded" and sent == []


def test_infrastructure_failures_are_retried_then_reported(database: Database, sent: list[str]) -> None:
    submission_id = queued_row(database)
    internal = lambda *a, **k: GradeResult(Status.INTERNAL_ERROR, "runner pipe broke")  # noqa: E731
    outcomes = [
        run_grading(database, submission_id, worker="w", hardware="cpu", grade=crashing),
        run_grading(database, submission_id, worker="w", hardware="cpu", grade=internal),
        run_grading(database, submission_id, worker="w", hardware="cpu", grade=crashing),
    ]
    assert outcomes == [Outcome.REQUEUED, Outcome.REQUEUED, Outcome.FINISHED]
    assert sent == [submission_id, submission_id]
    final = row(database, submission_id)
    assert final.status == "internal_error" and final.attempt == 3
    assert "not a verdict on your code" in (final.verdict or {})["message"]
    assert verdicts(database, submission_id) == 1


def test_reaper_takes_back_lost_work_and_a_late_worker_cannot_overwrite(database: Database, sent: list[str]) -> None:
    old = utcnow() - timedelta(seconds=60)
    lost = queued_row(database, state="running", attempt=1, started_at=old, worker="dead")
    stale = queued_row(database, queued_at=old)
    hopeless = queued_row(database, state="running", attempt=3, started_at=old)
    fresh = queued_row(database)
    report = reaper.reap_once(database)
    assert report.requeued == [lost] and report.resent == [stale] and report.failed == [hopeless]
    assert sorted(sent) == sorted([lost, stale]) and fresh not in sent
    assert row(database, hopeless).status == "internal_error"
    assert reaper.reap_once(database).resent == []  # once per deadline, not every pass

    from app.submissions import lifecycle

    verdict = GradeResult(Status.ACCEPTED, "late").to_json()
    assert not lifecycle.finish(database, lost, 1, verdict)  # attempt 1 lost its claim
    assert run_grading(database, lost, worker="w2", hardware="cpu", grade=accepted) == Outcome.FINISHED
    assert row(database, lost).attempt == 2 and verdicts(database, lost) == 1


def test_progress_events_of_a_lost_attempt_are_dropped(database: Database, sent: list[str]) -> None:
    from app.submissions import lifecycle

    submission_id = queued_row(database)
    claim = lifecycle.claim(database, submission_id, "w1", "cpu")
    assert claim is not None
    lifecycle.record_event(database, claim, {"type": "test", "name": "a"})
    assert lifecycle.release(database, submission_id, claim.attempt, "lost")
    lifecycle.record_event(database, claim, {"type": "test", "name": "b"})
    with database.session() as db:
        names = [e.data.get("name") for e in db.scalars(
            select(SubmissionEvent).where(SubmissionEvent.submission_id == submission_id)
        ) if e.type == "test"]  # fmt: skip
    assert names == ["a"]
