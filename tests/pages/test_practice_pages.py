"""The practice pages: progress, history, the reference gate, and answering concept cards."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.concepts.models import ConceptReview
from app.core.database import utcnow
from app.questions.bank_sync import sync_bank
from app.questions.service import get_current
from app.submissions.models import State, Submission
from tests.server.support import Stack
from workers.grading.bank import load_bank

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


CONCEPT_CARDS = ("concept-host-sync-points", "concept-jit-retrace-triggers", "concept-prng-key-reuse")


@pytest.fixture(scope="module")
def concept_cards(stack: Stack) -> None:
    """The concept questions these tests answer, synced from the repository's bank."""
    bank = stack.settings.bank_dir
    for slug in CONCEPT_CARDS:
        if not (bank / slug).is_dir():
            shutil.copytree(Path(__file__).resolve().parents[2] / "questions" / slug, bank / slug)
    with stack.database.session() as db:
        sync_bank(db, bank)


def _options_of(concept_page: str) -> list[str]:
    return re.findall(r'name="choices" value="(\d+)"', concept_page)


def _key_of(slug: str) -> set[int]:
    concept = load_bank()[slug].spec.concept
    assert concept is not None
    return {i for i, o in enumerate(concept.options) if o.correct}


@pytest.mark.usefixtures("concept_cards")
def test_choose_all_that_apply_is_checkboxes_graded_as_a_set(browser: Browser) -> None:
    browser.sign_up()
    slug = "concept-host-sync-points"
    card = browser.get(f"/questions/{slug}").text
    assert 'type="checkbox"' in card and 'type="radio"' not in card
    assert "<legend>Choose all that apply</legend>" in card
    key = _key_of(slug)
    one_right = str(min(key))
    response = browser.submit(f"/questions/{slug}", f"/questions/{slug}/answer", {"choices": [one_right]})
    assert response.status_code == 303
    revealed = browser.get(response.headers["location"].split("#")[0]).text
    assert "Not quite" in revealed and "Correct." not in revealed
    assert revealed.count('data-option-mark="right"') == 1
    assert revealed.count('data-option-mark="missed"') == len(key) - 1
    assert "data-partial-credit" in revealed

    exact = {"choices": [str(i) for i in sorted(key)]}
    response = browser.submit(f"/questions/{slug}", f"/questions/{slug}/answer", exact)
    revealed = browser.get(response.headers["location"].split("#")[0]).text
    assert "Correct." in revealed and 'data-option-mark="wrong"' not in revealed


@pytest.mark.usefixtures("concept_cards")
def test_concept_answer_api_marks_every_option(browser: Browser) -> None:
    browser.sign_up()
    slug = "concept-jit-retrace-triggers"
    key = _key_of(slug)
    wrong = min(set(range(len(_options_of(browser.get(f"/questions/{slug}").text)))) - key)
    picks = {"choices": [str(i) for i in sorted(key)] + [str(wrong)]}
    response = browser.submit(
        f"/questions/{slug}", f"/questions/{slug}/answer", picks, headers={"accept": "application/json"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["format"] == "multiple_select" and body["correct"] is False
    marks = {o["index"]: o["mark"] for o in body["options"]}
    assert marks[wrong] == "wrong" and all(marks[i] == "right" for i in key)
    assert 0 < body["score"] < 1
    bad = browser.submit(
        f"/questions/{slug}", f"/questions/{slug}/answer", {"choices": ["99"]}, headers={"accept": "application/json"}
    )
    assert bad.status_code == 422


@pytest.mark.usefixtures("concept_cards")
def test_predict_output_grades_the_output_and_keeps_the_explanation(browser: Browser) -> None:
    browser.sign_up()
    slug = "concept-prng-key-reuse"
    card = browser.get(f"/questions/{slug}").text
    assert 'name="explanation"' in card and "not graded" in card
    answer = {"text": "True\nFalse\nTrue  \n", "explanation": "split gives new keys; reuse repeats draws"}
    response = browser.submit(
        f"/questions/{slug}", f"/questions/{slug}/answer", answer, headers={"accept": "application/json"}
    )
    body = response.json()
    assert body["correct"] is True and body["explanation"] == answer["explanation"]
    revealed = browser.get(body["reveal_url"].split("#")[0]).text
    assert "Correct." in revealed and "split gives new keys; reuse repeats draws" in revealed


@pytest.mark.usefixtures("concept_cards")
def test_a_single_pick_stored_before_multiple_select_is_judged_as_a_set(browser: Browser, stack: Stack) -> None:
    email = browser.sign_up()
    slug = "concept-host-sync-points"
    with stack.database.session() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        # As the single-choice page stored it: one correct option, marked correct.
        review = ConceptReview(user_id=user.id, question_slug=slug, question_version=1,
                               choice=min(_key_of(slug)), correct=True)
        db.add(review)
        db.flush()
        review_id = review.id
    page = browser.get(f"/questions/{slug}?review={review_id}").text
    assert "Not quite" in page and "Correct." not in page
    assert page.count('data-option-mark="missed"') == len(_key_of(slug)) - 1
