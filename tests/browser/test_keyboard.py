"""Keyboard only: a candidate solves softmax and answers a concept card, an interviewer runs a
session to its report.

No clicks anywhere: focus moves with Tab, forms submit with Enter, the editor is typed into
and left with Escape then Tab. Focus must be visible on what is reached, and grading progress
and verdicts must reach the page's live region.
"""

from __future__ import annotations

from typing import Any

import pytest

from .flows import GRADING_TIMEOUT_MS
from .keys import focus_is_visible, focused_matches, log_in, tab_to, type_code

pytestmark = pytest.mark.slow

SOFTMAX = """import torch


def softmax(x: torch.Tensor) -> torch.Tensor:
    shifted = x - x.amax(dim=-1, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=-1, keepdim=True)"""


def wait_announced(page: Any, words: str) -> None:
    page.wait_for_function(
        "w => document.querySelector('[data-announcer]').textContent.includes(w)",
        arg=words,
        timeout=GRADING_TIMEOUT_MS,
    )


def editor_code(page: Any) -> str:
    return str(page.eval_on_selector("textarea[data-editor]", "el => el.value"))


def leave_editor_forwards(page: Any) -> None:
    """Tab indents inside the editor; Escape then Tab moves on, as the hint under it says."""
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not focused_matches(page, ".cm-content")


def test_skip_link_then_solve_softmax_by_keyboard(new_page: Any, server: Any) -> None:
    watched = new_page()
    page = watched.page
    log_in(page, server.create_user("candidate"))
    page.goto("/questions/softmax")
    page.wait_for_selector(".cm-editor")

    # The first Tab reaches the skip link; Enter on it puts focus in the main content.
    page.keyboard.press("Tab")
    assert focused_matches(page, ".skip-link") and focus_is_visible(page)
    page.keyboard.press("Enter")
    assert focused_matches(page, "main")

    tab_to(page, ".cm-content")
    assert focus_is_visible(page)
    assert "Esc" in page.inner_text("[data-editor-help]")
    page.keyboard.press("End")
    page.keyboard.press("Tab")  # captured: it indents
    assert focused_matches(page, ".cm-content")
    type_code(page, SOFTMAX)
    assert editor_code(page).strip() == SOFTMAX

    leave_editor_forwards(page)
    assert focused_matches(page, "[data-run]") and focus_is_visible(page)
    page.keyboard.press("Enter")  # Run
    wait_announced(page, "Accepted")
    # Grading did not take the focus away from the button.
    assert focused_matches(page, "[data-run]")
    page.keyboard.press("Tab")
    assert focused_matches(page, "[data-submit]")
    page.keyboard.press("Enter")  # Submit
    wait_announced(page, "Submit")
    page.wait_for_selector("[data-verdict] [data-speed-panel]", timeout=GRADING_TIMEOUT_MS)
    assert page.get_attribute("[data-verdict]", "data-status") == "accepted"
    wait_announced(page, "Accepted. Submit")
    watched.assert_clean()


def _create_session(page: Any) -> str:
    page.goto("/interviews/new")
    tab_to(page, "#title")
    page.keyboard.type("Keyboard onsite")
    tab_to(page, "input[name=questions][value=softmax]")
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    tab_to(page, "#duration_min")
    page.keyboard.press("ArrowDown")  # the next duration up
    tab_to(page, "[data-create-session]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return str(page.input_value("[data-candidate-link]"))


def _candidate_runs_twice(page: Any, link: str) -> None:
    """Start the clock, run the starter code (it fails), then type the solution and submit."""
    page.goto(link)
    tab_to(page, "[data-start-session]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector(".cm-editor")
    timer = page.locator("[data-countdown]")
    assert timer.get_attribute("role") == "timer" and timer.get_attribute("aria-live") == "off"
    tab_to(page, ".cm-content")
    page.keyboard.press("Control+Enter")  # Run the starter as it is
    page.wait_for_selector("[data-verdict]", timeout=GRADING_TIMEOUT_MS)
    first = page.get_attribute("[data-verdict]", "data-submission")
    assert page.get_attribute("[data-verdict]", "data-status") != "accepted"
    type_code(page, SOFTMAX)
    page.keyboard.press("Control+Shift+Enter")  # Submit from inside the editor
    page.wait_for_function(
        "prev => { const v = document.querySelector('[data-verdict]'); return v && v.dataset.submission !== prev; }",
        arg=first,
        timeout=GRADING_TIMEOUT_MS,
    )
    assert page.get_attribute("[data-verdict]", "data-status") == "accepted"
    wait_announced(page, "Accepted")


def test_interview_by_keyboard(new_page: Any, server: Any) -> None:
    interviewer = new_page()
    page = interviewer.page
    log_in(page, server.create_user("interviewer"))
    link = _create_session(page)
    session_url = page.url.split("#", 1)[0].removesuffix("/")

    candidate = new_page()
    _candidate_runs_twice(candidate.page, link)

    # Live view: the candidate's code can be reached and scrolled by keyboard; the timeline has the submit.
    page.goto(f"{session_url}/live")
    page.wait_for_function(
        "() => document.querySelector('[data-timeline]').textContent.includes('Accepted')", timeout=15_000
    )
    tab_to(page, ".live-pane .cm-content")
    assert focus_is_visible(page)
    page.wait_for_function(
        "() => document.querySelector('.live-pane .cm-content').textContent.includes('amax')", timeout=15_000
    )

    # The candidate's page is done: once the session ends, a save still in flight from it is
    # answered 410 Gone (and the page closes), which the browser logs as a failed resource.
    candidate.assert_clean()

    # End the session from its page (the confirm dialog is accepted by the keyboard user).
    page.goto(session_url)
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, "[data-end-form] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/report")

    # Report playback: step back to the first run with the keyboard.
    stepper = page.locator("[data-report-question='softmax'] [data-stepper]")
    assert "2 / 2" in stepper.locator("[data-position]").inner_text()
    tab_to(page, "[data-report-question='softmax'] [data-prev]")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    assert "1 / 2" in stepper.locator("[data-position]").inner_text()
    tab_to(page, "[data-report-question='softmax'] input[type=range]")
    page.keyboard.press("ArrowRight")
    assert "2 / 2" in stepper.locator("[data-position]").inner_text()

    # Scorecard: radio groups with the arrow keys, notes typed, saved with Enter on the button.
    tab_to(page, "input[name=score_softmax]")
    assert focus_is_visible(page)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    tab_to(page, "input[name=recommendation]")
    page.keyboard.press("ArrowRight")
    tab_to(page, "#notes")
    page.keyboard.type("Typed the whole thing without a mouse.")
    tab_to(page, "[data-scorecard-form] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#notes").input_value() == "Typed the whole thing without a mouse."
    assert page.locator("input[name=score_softmax]:checked").get_attribute("value") == "4"
    assert page.locator("input[name=recommendation]:checked").count() == 1
    interviewer.assert_clean()


def test_concept_card_by_keyboard(new_page: Any, server: Any) -> None:
    watched = new_page()
    page = watched.page
    log_in(page, server.create_user("candidate"))
    page.goto("/questions/concept-prng-key-reuse")
    tab_to(page, "[data-answer-form] textarea")
    assert focus_is_visible(page)
    page.keyboard.type("two different numbers")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")  # reveal from inside the answer box
    assert page.locator("[data-revealed]").is_visible()
    tab_to(page, "[data-rating='good']")
    assert focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The rating is stored: the deck shows it for this (new) user's one answered card.
    page.goto("/practice")
    assert page.locator(".badge.rating-good").count() == 1
    watched.assert_clean()
