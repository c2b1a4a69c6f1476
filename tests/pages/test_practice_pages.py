"""The practice pages over stored submissions: progress, history, the reference gate."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.accounts.models import User
from app.core.database import utcnow
from app.questions.service import get_current
from app.submissions.models import State, Submission
from tests.server.support import Stack

from .conftest import Browser


def _store(stack: Stack, email: str, mode: str, status: str, speedup: float = 1.5) -> str:
    """A finished submission as the worker would leave it."""
    with stack.database.session() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        row = get_current(db, "softmax")
        verdict = {
            "status": status,
            "message": "" if status == "accepted" else "Wrong answer on example 'small'",
            "tests": [
                {
                    "name": "small",
                    "passed": status == "accepted",
                    "visible": True,
                    "family": "random",
                    "message": "output[0, 1]: expected 0.2, got 0.7",
                    "input_preview": "float32[2, 4] [[1, 2, 3, 4], [5, 6, 7, 8]]",
                    "expected_preview": "float32[2, 4] [[0.0321, 0.0871, ...]]",
                    "actual_preview": "float32[2, 4] [[0.5, 0.5, ...]]",
                    "max_abs_error": 0.5,
                }
            ],
            "timing": {
                "submission_ms": 2.0,
                "reference_ms": 3.0,
                "speedup": speedup,
                "speedup_ci_low": speedup * 0.9,
                "speedup_ci_high": speedup * 1.1,
                "speed_verdict": "faster",
                "samples": 40,
                "clock": "runner",
            }
            if status == "accepted" and mode == "submit"
            else {},
            "stdout": "",
            "stderr": "",
            "notes": [],
        }
        sub = Submission(
            id=uuid.uuid4().hex,
            user_id=user.id,
            question_id=row.id,
            question_slug="softmax",
            question_version=row.version,
            framework="torch",
            mode=mode,
            code="def softmax(x):\n    return SOLVED_MARKER\n",
            state=State.DONE.value,
            status=status,
            verdict=verdict,
            queue="cpu",
            finished_at=utcnow(),
            runtime_ms=2.0 if status == "accepted" else None,
        )
        db.add(sub)
        return sub.id


def test_list_filters_and_progress(browser: Browser, stack: Stack) -> None:
    email = browser.sign_up()
    assert 'data-slug="softmax"' in browser.get("/questions?framework=torch").text
    assert 'data-slug="softmax"' not in browser.get("/questions?kind=concept").text
    assert 'data-slug="softmax"' not in browser.get("/questions?q=attention").text
    assert 'data-slug="softmax"' in browser.get("/questions?tag=numerics&difficulty=easy").text
    _store(stack, email, "submit", "accepted")
    page = browser.get("/questions?status=solved").text
    assert 'data-slug="softmax"' in page and 'title="Solved"' in page
    assert 'data-slug="softmax"' not in browser.get("/questions?status=todo").text


def test_references_need_an_accepted_submit_of_ones_own(browser: Browser, stack: Stack) -> None:
    email = browser.sign_up()
    _store(stack, email, "run", "accepted")  # a run is not a submit
    _store(stack, email, "submit", "wrong_answer")
    locked = browser.get("/questions/softmax/solutions").text
    assert "data-locked" in locked and "amax" not in locked
    _store(stack, email, "submit", "accepted")
    unlocked = browser.get("/questions/softmax/solutions").text
    assert 'data-reference="torch"' in unlocked and 'data-reference="jax"' in unlocked
    assert "SOLVED_MARKER" in unlocked  # their own solution beside the references

    stranger = Browser(browser.client.app)
    stranger.sign_up()
    assert "data-locked" in stranger.get("/questions/softmax/solutions").text


def test_verdict_panel_shows_the_failing_case_and_speed(browser: Browser, stack: Stack) -> None:
    email = browser.sign_up()
    wrong = _store(stack, email, "run", "wrong_answer")
    panel = browser.get(f"/submissions/{wrong}/panel").text
    assert "First failing example" in panel
    assert "float32[2, 4] [[0.0321" in panel and "float32[2, 4] [[0.5" in panel
    good = _store(stack, email, "submit", "accepted", speedup=1.5)
    panel = browser.get(f"/submissions/{good}/panel").text
    assert "data-speed-panel" in panel and "1.50\u00d7" in panel and "data-runtime-chart" in panel
    history = browser.get("/questions/softmax/submissions").text
    assert history.count("/submissions/") >= 2


def test_submissions_are_private(browser: Browser, stack: Stack) -> None:
    email = browser.sign_up()
    mine = _store(stack, email, "run", "wrong_answer")
    stranger = Browser(browser.client.app)
    stranger.sign_up()
    assert stranger.get(f"/submissions/{mine}").status_code == 404
    assert stranger.get(f"/submissions/{mine}/panel").status_code == 404


def test_question_page_starts_from_the_last_code(browser: Browser, stack: Stack) -> None:
    email = browser.sign_up()
    assert "raise NotImplementedError" in browser.get("/questions/softmax").text
    _store(stack, email, "run", "wrong_answer")
    page = browser.get("/questions/softmax?framework=torch").text
    assert "SOLVED_MARKER" in page
    jax = browser.get("/questions/softmax?framework=jax").text
    assert "import jax" in jax and "SOLVED_MARKER" not in jax.split("<textarea")[1]
