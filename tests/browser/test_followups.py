"""The interviewer pushes a follow-up from the live view; the candidate's open page switches to it
with their code, shows the ask, and can still go back to the part before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .axe import report, run_axe
from .flows import editor_text, log_in, set_code, shot, start_session

pytestmark = pytest.mark.slow
MINE = "import torch\n\n\ndef softmax(x):\n    # my version, kept for the follow-up\n    return torch.softmax(x, -1)\n"


def _create_session(page: Any) -> tuple[str, str]:
    page.goto("/interviews/new")
    page.fill("#title", "Onsite: numerics")
    page.fill("#candidate_name", "Ada")
    page.check("input[name=framework][value=torch]")
    page.check("input[name=questions][value=softmax]")
    with page.expect_navigation():
        page.click("[data-create-session]")
    return page.input_value("[data-candidate-link]"), page.url.removesuffix("/")


def test_a_pushed_follow_up_switches_the_candidates_page(new_page: Any, server: Any, shots: Path) -> None:
    interviewer = new_page()
    page = interviewer.page
    log_in(page, server.create_user("interviewer"))
    link, session_url = _create_session(page)

    candidate = new_page()
    cpage = candidate.page
    start_session(cpage, link)
    assert cpage.locator("[data-followup-banner]").count() == 0
    set_code(cpage, MINE)

    interviewer.goto(f"{session_url}/live")
    control = page.locator("[data-followups='softmax']")
    assert "Log-softmax with masked entries" in control.inner_text()
    page.wait_for_function(
        "() => document.querySelector('.live-pane .cm-content').textContent.includes('kept for the follow-up')",
        timeout=15_000,
    )
    page.locator(".live-code").screenshot(path=str(shots / "interview-followup-push.png"))

    # One click: the interviewer's view shows the new part, the candidate's page follows by itself.
    with page.expect_navigation():
        control.locator("[data-push-followup]").click()
    page.wait_for_selector("[data-live-tab='log-softmax'][aria-current='true']")
    assert page.url.endswith("/live?part=log-softmax")
    assert control.locator("[data-followup-pushed]").count() == 1
    cpage.wait_for_url("**/interview?q=log-softmax", timeout=15_000)
    banner = cpage.locator("[data-followup-banner]")
    assert "Follow-up from your interviewer" in banner.inner_text() and "-inf" in banner.inner_text()
    cpage.wait_for_selector(".cm-editor")
    assert "kept for the follow-up" in editor_text(cpage)
    assert "def log_softmax" in cpage.locator(".signature").inner_text()
    shot(cpage, shots, "interview-followup-candidate")
    violations = run_axe(cpage, "candidate's follow-up") + run_axe(page, "live view after a push")
    assert not violations, report(violations)

    # The earlier part is one tab away, with its code; the interviewer sees the follow-up's code.
    with cpage.expect_navigation():
        cpage.click("[data-question-tab='softmax']")
    assert cpage.locator("[data-followup-banner]").count() == 0
    assert "kept for the follow-up" in editor_text(cpage)
    page.wait_for_function(
        "() => document.querySelector('[data-live-pane=\"log-softmax\"] .cm-content')"
        ".textContent.includes('kept for the follow-up')",
        timeout=15_000,
    )
    assert "Follow-up pushed" in page.locator("[data-timeline]").inner_text()
    interviewer.assert_clean()
    candidate.assert_clean()


def test_a_page_that_missed_the_push_on_its_socket_switches_by_the_status_poll(new_page: Any, server: Any) -> None:
    interviewer = new_page()
    page = interviewer.page
    log_in(page, server.create_user("interviewer"))
    link, session_url = _create_session(page)

    candidate = new_page()
    cpage = candidate.page
    # The room socket connects to nothing (a proxy that drops it, say): no push arrives on it.
    cpage.route_web_socket("**/interview/room", lambda socket: None)
    start_session(cpage, link)
    set_code(cpage, MINE)

    interviewer.goto(f"{session_url}/live")
    with page.expect_navigation():
        page.locator("[data-followups='softmax'] [data-push-followup]").click()
    cpage.wait_for_url("**/interview?q=log-softmax", timeout=20_000)  # the poll asks every 5 s
    cpage.wait_for_selector("[data-followup-banner]")
    assert "kept for the follow-up" in editor_text(cpage)
    interviewer.assert_clean()
    candidate.assert_clean()
