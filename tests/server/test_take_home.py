"""Take-home sessions: the window, the clock from the candidate's start, the server's hand-in at
the deadline (exactly once), refusals after it, and expiry. Both backends."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from app.core.database import Database, utcnow
from app.core.settings import Settings
from app.interviews import takehome
from app.interviews.models import InterviewSession
from app.main import create_app
from app.submissions.models import Submission
from app.submissions.reaper import Reaper

from .conftest import Api
from .support import SECRET, Stack, WorkerProcess

STABLE = Path("questions/softmax/solutions/stable.torch.py").read_text()
WRONG = Path("questions/softmax/solutions/wrong_axis.torch.py").read_text()
TAKE_HOME = {"questions": ["softmax"], "framework": "torch", "duration_min": 60, "candidate_name": "Ada"}


def _window(opens_in: timedelta = timedelta(0), length: timedelta = timedelta(hours=4)) -> dict[str, str]:
    opens = utcnow() + opens_in
    return {"opens_at": opens.isoformat(), "closes_at": (opens + length).isoformat()}


def _create(interviewer: Api, **overrides: Any) -> tuple[int, str]:
    body = TAKE_HOME | {"take_home": _window()} | overrides
    response = interviewer.post("/api/interviews", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"]), str(response.json()["candidate_token"])


def _move(stack: Stack, session_id: int, **values: datetime) -> None:
    """Move a session's times (the clock the tests control instead of waiting for hours)."""
    with stack.database.session() as db:
        session = db.get(InterviewSession, session_id)
        assert session is not None
        for key, value in values.items():
            setattr(session, key, value)


def _submissions(stack: Stack, session_id: int) -> list[Submission]:
    with stack.database.session() as db:
        query = select(Submission).where(Submission.interview_id == session_id).order_by(Submission.created_at)
        return list(db.scalars(query))


def _past_deadline(stack: Stack, session_id: int) -> None:
    now = utcnow()
    _move(stack, session_id, started_at=now - timedelta(minutes=61), ends_at=now - timedelta(minutes=1))


@pytest.fixture(scope="module")
def fast_app(stack: Stack) -> FastAPI:
    """The same stack with a take-home minute of 0.6 s: a 5-minute take-home lasts 3 seconds."""
    return create_app(stack.settings.model_copy(update={"take_home_minute_s": 0.6}))


# First in the module: its hand-in is graded before the other tests' queued submissions.
def test_the_server_clock_decides_and_the_hand_in_is_graded(
    fast_app: FastAPI, interviewer: Api, stack: Stack, worker: WorkerProcess
) -> None:
    session_id, token = _create(interviewer, duration_min=5)
    candidate = TestClient(fast_app)
    started = candidate.post(f"/api/interview/{token}/start").json()
    ends_at = datetime.fromisoformat(started["ends_at"])
    assert ends_at - datetime.fromisoformat(started["started_at"]) == timedelta(seconds=3)
    saved = candidate.put(f"/api/interview/{token}/draft", json={"question": "softmax", "code": STABLE})
    assert saved.status_code == 204
    time.sleep(max(0.0, (ends_at - utcnow()).total_seconds()) + 0.1)
    late = candidate.post(f"/api/interview/{token}/submissions", json={"question": "softmax", "code": WRONG})
    assert late.status_code == 410 and "deadline passed" in late.json()["message"]
    handed = takehome.sweep_due(stack.database, now=utcnow() + timedelta(seconds=takehome.SETTLE_S))
    assert session_id in [h.session_id for h in handed]

    def graded() -> dict[str, Any] | None:
        th = interviewer.get(f"/api/interviews/{session_id}/report").json()["take_home"]
        return th if th["questions"][0]["status"] else None

    deadline = time.monotonic() + 120
    th = graded()
    while th is None and time.monotonic() < deadline:
        time.sleep(0.2)
        th = graded()
    assert th is not None, "the handed-in submission was not graded"
    assert th["questions"][0] == {
        "question": "softmax",
        "outcome": "auto_submitted",
        "submission_id": th["questions"][0]["submission_id"],
        "status": "accepted",
    }
    assert len(_submissions(stack, session_id)) == 1


def test_window_validation(interviewer: Api) -> None:
    def refused(window: dict[str, str], **extra: Any) -> str:
        response = interviewer.post("/api/interviews", json=TAKE_HOME | {"take_home": window} | extra)
        assert response.status_code == 422, response.text
        return str(response.json()["message"])

    now = utcnow()
    backwards = {"opens_at": now.isoformat(), "closes_at": (now - timedelta(hours=1)).isoformat()}
    assert "closes before it opens" in refused(backwards)
    assert "whole 60-minute duration" in refused(_window(length=timedelta(minutes=30)))
    assert "already closed" in refused(_window(opens_in=-timedelta(hours=3), length=timedelta(hours=2)))
    assert "at most 30 days" in refused(_window(length=timedelta(days=31)))
    # Opened an hour ago, closing in 30 minutes: a candidate starting now could not get 60 minutes.
    assert "30 minutes from now" in refused(_window(opens_in=-timedelta(hours=1), length=timedelta(minutes=90)))
    naive = {"opens_at": "2030-01-01T09:00:00", "closes_at": "2030-01-02T09:00:00"}
    no_zone = interviewer.post("/api/interviews", json=TAKE_HOME | {"take_home": naive})
    assert no_zone.status_code == 422 and "timezone" in no_zone.text

    created = interviewer.post("/api/interviews", json=TAKE_HOME | {"take_home": _window(timedelta(days=2))})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["take_home"]["state"] == "scheduled" and body["started_at"] is None
    # The link works until the window closes, not for the default week.
    assert body["link_expires_at"] == body["take_home"]["closes_at"]
    listed = {s["id"]: s for s in interviewer.get("/api/interviews").json()}
    assert listed[body["id"]]["take_home"]["state_label"].startswith("Not started")
    live = interviewer.post("/api/interviews", json=TAKE_HOME).json()
    assert live["take_home"] is None  # a live session is unchanged


def test_cannot_start_before_the_window_or_after_it(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _create(interviewer, take_home=_window(opens_in=timedelta(hours=2)))
    anonymous = TestClient(client.app)
    view = anonymous.get(f"/api/interview/{token}").json()
    # Before starting: the rules of the game, not the questions.
    assert view["can_start"] is False and view["question_count"] == 1 and "questions" not in view
    early = anonymous.post(f"/api/interview/{token}/start")
    assert early.status_code == 409 and "opens at" in early.json()["message"]
    draft = anonymous.put(f"/api/interview/{token}/draft", json={"question": "softmax", "code": "x = 1"})
    assert draft.status_code == 409 and "press Start first" in draft.json()["message"]
    assert interviewer.get(f"/api/interviews/{session_id}").json()["started_at"] is None

    now = utcnow()
    _move(stack, session_id, window_opens_at=now - timedelta(hours=3), window_closes_at=now - timedelta(seconds=1))
    late = anonymous.post(f"/api/interview/{token}/start")
    assert late.status_code == 410 and "window to start this take-home closed" in late.json()["message"]
    assert interviewer.get(f"/api/interviews/{session_id}").json()["take_home"]["state"] == "expired"


def test_the_clock_starts_at_start_and_never_runs_past_the_window(
    interviewer: Api, client: TestClient, stack: Stack
) -> None:
    session_id, token = _create(interviewer)
    anonymous = TestClient(client.app)
    assert anonymous.get(f"/api/interview/{token}").json()["can_start"] is True
    time.sleep(0.2)  # opening the link is not starting
    before = utcnow()
    started = anonymous.post(f"/api/interview/{token}/start")
    assert started.status_code == 200, started.text
    body = started.json()
    started_at, ends_at = datetime.fromisoformat(body["started_at"]), datetime.fromisoformat(body["ends_at"])
    assert before <= started_at <= utcnow()
    assert ends_at - started_at == timedelta(minutes=60)
    assert body["questions"][0]["slug"] == "softmax" and "reference" not in body["questions"][0]
    again = anonymous.post(f"/api/interview/{token}/start").json()  # starting again changes nothing
    assert again["started_at"] == body["started_at"] and again["ends_at"] == body["ends_at"]
    assert interviewer.get(f"/api/interviews/{session_id}").json()["take_home"]["state"] == "in_progress"

    # Started 20 minutes before the window closes: 20 minutes, not 60.
    late_id, late_token = _create(interviewer)
    closes = utcnow() + timedelta(minutes=20)
    _move(stack, late_id, window_closes_at=closes)
    late = anonymous.post(f"/api/interview/{late_token}/start").json()
    assert datetime.fromisoformat(late["ends_at"]) == closes


def test_the_deadline_submits_each_questions_last_code_exactly_once(
    interviewer: Api, client: TestClient, stack: Stack
) -> None:
    session_id, token = _create(interviewer, questions=["softmax", "concept-jit-python-if"])
    anonymous = TestClient(client.app)
    assert anonymous.post(f"/api/interview/{token}/start").status_code == 200
    draft = {"question": "softmax", "code": "def softmax(x):\n    return x  # first\n"}
    assert anonymous.put(f"/api/interview/{token}/draft", json=draft).status_code == 204
    run = anonymous.post(f"/api/interview/{token}/submissions", json={"question": "softmax", "code": WRONG})
    assert run.status_code == 202
    # Typed after the run, within the draft-merging interval: still the newest code.
    assert anonymous.put(f"/api/interview/{token}/draft", json=draft | {"code": STABLE}).status_code == 204

    _past_deadline(stack, session_id)
    refused = anonymous.post(f"/api/interview/{token}/submissions", json={"question": "softmax", "code": WRONG})
    assert refused.status_code == 410
    assert "deadline passed" in refused.json()["message"] and "nothing can be submitted" in refused.json()["message"]
    late_draft = anonymous.put(f"/api/interview/{token}/draft", json=draft | {"code": "late"})
    assert late_draft.status_code == 410
    assert interviewer.get(f"/api/interviews/{session_id}").json()["take_home"]["state"] == "submitting"

    # Two passes at once (two API processes), then one from a fresh process (a restart).
    results: list[list[takehome.HandIn]] = []
    passes = [threading.Thread(target=lambda: results.append(takehome.sweep_due(stack.database))) for _ in range(2)]
    for sweep in passes:
        sweep.start()
    for sweep in passes:
        sweep.join(30)
    mine = [h for batch in results for h in batch if h.session_id == session_id]
    assert len(mine) == 1 and list(mine[0].auto_submitted) == ["softmax"]
    restarted = Database(stack.settings)
    try:
        assert [h for h in takehome.sweep_due(restarted) if h.session_id == session_id] == []
    finally:
        restarted.dispose()

    subs = _submissions(stack, session_id)
    assert [(s.mode, s.code) for s in subs] == [("run", WRONG), ("submit", STABLE)]
    timeline = interviewer.get(f"/api/interviews/{session_id}/timeline").json()
    autos = [e for e in timeline if e["type"] == "submit"]
    assert len(autos) == 1 and autos[0]["data"]["auto"] is True and autos[0]["submission_id"] == subs[1].id
    assert [e["type"] for e in timeline].count("handed_in") == 1
    report = interviewer.get(f"/api/interviews/{session_id}/report").json()
    th = report["take_home"]
    assert th["state"] == "submitted" and th["finalized_at"] is not None and not th["expired"]
    outcomes = {q["question"]: q["outcome"] for q in th["questions"]}
    assert outcomes == {"softmax": "auto_submitted", "concept-jit-python-if": None}
    assert th["questions"][0]["submission_id"] == subs[1].id


def test_the_shared_editors_text_is_what_is_handed_in(interviewer: Api, client: TestClient, stack: Stack) -> None:
    """The page's editor stores every edit in the shared document (app.pairing), more often
    than it saves drafts: its text is the last saved code."""
    from app.pairing.service import CANDIDATE, write_text

    session_id, token = _create(interviewer)
    anonymous = TestClient(client.app)
    anonymous.post(f"/api/interview/{token}/start")
    anonymous.put(f"/api/interview/{token}/draft", json={"question": "softmax", "code": WRONG})
    typed = STABLE + "\n# typed after the last draft\n"
    with stack.database.session() as db:
        session = db.get(InterviewSession, session_id)
        assert session is not None
        write_text(db, session, "softmax", typed, CANDIDATE)
    _past_deadline(stack, session_id)
    handed = [h for h in takehome.sweep_due(stack.database) if h.session_id == session_id]
    assert list(handed[0].auto_submitted) == ["softmax"]
    assert [s.code for s in _submissions(stack, session_id)] == [typed]


def test_the_candidates_own_last_submit_is_not_submitted_again(
    interviewer: Api, client: TestClient, stack: Stack
) -> None:
    session_id, token = _create(interviewer)
    anonymous = TestClient(client.app)
    anonymous.post(f"/api/interview/{token}/start")
    body = {"question": "softmax", "code": STABLE, "mode": "submit"}
    assert anonymous.post(f"/api/interview/{token}/submissions", json=body).status_code == 202
    _past_deadline(stack, session_id)
    handed = [h for h in takehome.sweep_due(stack.database) if h.session_id == session_id]
    assert handed[0].already_submitted == ["softmax"] and handed[0].auto_submitted == {}
    assert len(_submissions(stack, session_id)) == 1
    th = interviewer.get(f"/api/interviews/{session_id}/report").json()["take_home"]
    assert th["questions"][0]["outcome"] == "submitted_by_candidate"


def test_an_unstarted_session_expires_at_the_window_end(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _create(interviewer)
    now = utcnow()
    _move(stack, session_id, window_opens_at=now - timedelta(hours=3), window_closes_at=now - timedelta(seconds=5))
    handed = [h for h in takehome.sweep_due(stack.database) if h.session_id == session_id]
    assert len(handed) == 1 and handed[0].expired and not handed[0].auto_submitted
    assert [h for h in takehome.sweep_due(stack.database) if h.session_id == session_id] == []
    assert _submissions(stack, session_id) == []
    report = interviewer.get(f"/api/interviews/{session_id}/report").json()
    assert report["take_home"]["expired"] is True and report["take_home"]["state"] == "expired"
    assert report["take_home"]["expired_reason"] == "never started before the window closed"
    assert [e["type"] for e in report["timeline"]] == ["created", "expired"]
    gone = TestClient(client.app).get(f"/api/interview/{token}")
    assert gone.status_code == 410 and "window to start this take-home closed" in gone.json()["message"]


def test_a_session_the_interviewer_ends_is_handed_in(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _create(interviewer)
    anonymous = TestClient(client.app)
    anonymous.post(f"/api/interview/{token}/start")
    anonymous.put(f"/api/interview/{token}/draft", json={"question": "softmax", "code": STABLE})
    assert interviewer.post(f"/api/interviews/{session_id}/end").status_code == 200
    with stack.database.session() as db:
        handed = takehome.hand_in(db, session_id, utcnow())
    assert handed is not None and list(handed.auto_submitted) == ["softmax"]


def test_a_submit_racing_the_hand_in_is_refused(interviewer: Api, client: TestClient, stack: Stack) -> None:
    """A submit that passed the deadline check as the server handed the session in (here: the
    hand-in runs first, the deadline not yet past) is refused rather than landing after it."""
    session_id, token = _create(interviewer)
    anonymous = TestClient(client.app)
    anonymous.post(f"/api/interview/{token}/start")
    anonymous.put(f"/api/interview/{token}/draft", json={"question": "softmax", "code": STABLE})
    with stack.database.session() as db:
        assert takehome.hand_in(db, session_id, utcnow()) is not None
    racing = anonymous.post(f"/api/interview/{token}/submissions", json={"question": "softmax", "code": WRONG})
    assert racing.status_code == 410, racing.text
    assert [s.code for s in _submissions(stack, session_id)] == [STABLE]


def test_the_background_loop_hands_in_and_outlives_a_failing_pass(
    interviewer: Api, client: TestClient, stack: Stack
) -> None:
    """The API's reaper loop runs the sweep (app.main wires it; the browser test sees it there),
    and one failing job does not stop the others or the loop."""
    session_id, token = _create(interviewer)
    anonymous = TestClient(client.app)
    anonymous.post(f"/api/interview/{token}/start")
    anonymous.put(f"/api/interview/{token}/draft", json={"question": "softmax", "code": STABLE})
    _past_deadline(stack, session_id)
    failures: list[int] = []

    def broken(_database: Database) -> None:
        failures.append(1)
        raise RuntimeError("a job that always fails")

    database = Database(stack.settings.model_copy(update={"reaper_interval_s": 0.05}))
    loop = Reaper(database, also=(broken, takehome.sweep_due))
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while not _submissions(stack, session_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        while len(failures) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        loop.stop()
        loop.join(10)
        database.dispose()
    assert [s.code for s in _submissions(stack, session_id)] == [STABLE]
    assert len(failures) >= 3, "the loop went on after a failing job"


def test_a_shortened_minute_is_for_tests_only() -> None:
    with pytest.raises(ValidationError, match="for tests only"):
        Settings(env="production", secret_key=SECRET, take_home_minute_s=1.0)
    with pytest.raises(ValidationError, match="for tests only"):
        Settings(env="development", take_home_minute_s=0.5)
    assert Settings(env="test", secret_key=SECRET, take_home_minute_s=0.5).take_home_minute_s == 0.5
