"""An interviewer creates a session, the candidate submits through the link, the report shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .flows import editor_text, log_in, set_code, shot, solution, start_session, wait_verdict

pytestmark = pytest.mark.slow


def test_interview_session_end_to_end(new_page: Any, server: Any, shots: Path) -> None:
    interviewer = new_page()
    page = interviewer.page
    log_in(page, server.create_user("interviewer"))
    assert page.url.endswith("/interviews")

    # Create the session: questions, framework, duration, notes.
    interviewer.goto("/interviews/new")
    page.fill("#title", "Onsite: numerics")
    page.fill("#candidate_name", "Ada")
    page.check("input[name=framework][value=torch]")
    page.select_option("#duration_min", "30")
    page.check("input[name=questions][value=softmax]")
    page.fill("#notes", "Probe numerical stability; ask about log-sum-exp.")
    shot(page, shots, "interview-new")
    with page.expect_navigation():
        page.click("[data-create-session]")
    link = page.input_value("[data-candidate-link]")
    assert "/interview/" in link
    session_url = page.url
    shot(page, shots, "interview-created")

    # The candidate opens the link (no account), starts the clock and submits.
    candidate = new_page()
    cpage = candidate.page
    start_session(cpage, link)
    assert cpage.locator("[data-countdown]").inner_text().startswith(("30:", "29:"))
    set_code(cpage, solution("stable.torch.py"))

    # The live view shows the candidate's current code, then follows the bus: what the
    # candidate types next arrives without the page asking again (no polling).
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "live.json" in request.url else None)
    interviewer.goto(session_url.removesuffix("/") + "/live")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.live-pane .cm-content')].some(el => el.textContent.includes('amax'))",
        timeout=15_000,
    )
    set_code(cpage, solution("stable.torch.py") + "\n# typed-while-watched\n")
    page.wait_for_function(
        "() => document.querySelector('.live-pane .cm-content').textContent.includes('typed-while-watched')",
        timeout=15_000,
    )
    assert polls == []

    # A wrong first run, then the fix: the report can step between the two.
    draft = editor_text(cpage)
    set_code(cpage, solution("wrong_axis.torch.py"))
    cpage.click("[data-run]")
    assert wait_verdict(cpage) == "wrong_answer"
    first = cpage.get_attribute("[data-verdict]", "data-submission")
    set_code(cpage, draft)
    cpage.click("[data-submit]")
    assert wait_verdict(cpage, first) == "accepted"
    assert cpage.locator("[data-speed-panel]").is_visible()
    shot(cpage, shots, "interview-candidate")

    # The timeline picks up the submit and its result without a reload.
    page.wait_for_function(
        "() => document.querySelector('[data-timeline]').textContent.includes('Accepted')",
        timeout=15_000,
    )
    shot(page, shots, "interview-live")

    # End the session: the candidate's page closes, the report shows the submission.
    interviewer.goto(session_url.removesuffix("/"))
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("[data-end-form] button")
    assert page.url.endswith("/report")
    summary = page.locator("[data-report-summary]").inner_text()
    assert "Numerically stable softmax" in summary and "Accepted" in summary
    question = page.locator("[data-report-question='softmax']")
    stepper = question.locator("[data-stepper]")
    assert "Submit #2" in stepper.inner_text()
    assert "amax(dim=-1" in stepper.locator("pre").first.inner_text()
    stepper.locator("[data-prev]").click()  # step back to the first run
    assert "Run #1" in stepper.inner_text()
    assert "dim=0" in stepper.locator("pre").first.inner_text()

    # Scored against the session's rubric (the shipped one), with a run as the evidence.
    correctness = page.locator("[data-criterion='correctness']")
    correctness.locator("label:has(input[type=radio][value='4'])").click()
    evidence = correctness.locator("input[type=checkbox]").first
    evidence.check()
    page.click("label:has(input[name=score_softmax][value='4'])")
    page.check("input[name=recommendation][value=yes]")
    page.fill("#notes", "Stable on the first submit; explained the max shift.")
    with page.expect_navigation():
        page.click("[data-scorecard-form] button[type=submit]")
    assert page.locator("#notes").input_value().startswith("Stable on the first submit")
    assert correctness.locator("input[type=radio][value='4']").is_checked() and evidence.is_checked()
    href = correctness.locator(".evidence-list a").first.get_attribute("href") or ""
    assert href.startswith("#event-") and page.locator(href).count() == 1  # the timeline entry
    shot(page, shots, "interview-report", full_page=True)
    # Printable: no navigation or form controls, the scorecard as text.
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator("[data-scorecard-form]").is_visible()
    assert "Stable on the first submit" in page.locator(".print-only").last.inner_text()
    assert "Correctness & testing: 4/4" in page.locator("[data-print-criterion='correctness']").inner_text()
    shot(page, shots, "interview-report-print", full_page=True)
    page.emulate_media(media="screen")

    # The candidate's open page notices the end by itself and locks the editor.
    cpage.wait_for_selector("[data-closed-banner]", state="visible", timeout=15_000)
    assert cpage.locator("[data-submit]").is_disabled()
    cpage.reload()
    assert cpage.locator("[data-session-closed]").is_visible()
    assert editor_text_or_empty(cpage) == ""

    # The rubrics page: the shipped rubric with its anchors, and the form for one's own.
    interviewer.goto("/rubrics")
    assert "ML framework interview" in page.locator("main").inner_text()
    shot(page, shots, "rubrics", full_page=True)
    interviewer.assert_clean()
    candidate.assert_clean()


def editor_text_or_empty(page: Any) -> str:
    return editor_text(page) if page.locator("textarea[data-editor]").count() else ""


def test_candidate_page_closes_when_the_time_is_up(new_page: Any, server: Any) -> None:
    interviewer = new_page()
    page = interviewer.page
    log_in(page, server.create_user("interviewer"))
    interviewer.goto("/interviews/new")
    page.check("input[name=questions][value=softmax]")
    page.select_option("#duration_min", "15")
    with page.expect_navigation():
        page.click("[data-create-session]")
    link = page.input_value("[data-candidate-link]")

    candidate = new_page()
    cpage = candidate.page
    cpage.clock.install()  # the page's clock, so the test can jump to the end
    start_session(cpage, link)
    assert cpage.locator("[data-countdown]").inner_text().startswith(("15:", "14:"))
    cpage.clock.fast_forward("15:05")
    cpage.wait_for_selector("[data-closed-banner]", state="visible")
    assert cpage.locator("[data-countdown]").inner_text() == "0:00"
    assert cpage.locator("[data-run]").is_disabled() and cpage.locator("[data-submit]").is_disabled()
    assert cpage.locator(".cm-content").get_attribute("contenteditable") == "false"
    candidate.assert_clean()
