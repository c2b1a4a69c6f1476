"""A take-home session: the candidate starts from its start page, types, closes the tab; at the
deadline the server submits the last saved code and the interviewer's report shows it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from .axe import report as report_violations
from .axe import run_axe
from .conftest import TAKE_HOME_MINUTE_S
from .flows import GRADING_TIMEOUT_MS, log_in, set_code, shot, solution

pytestmark = pytest.mark.slow

DURATION_MIN = 30  # lasts 30 seconds here (see TAKE_HOME_MINUTE_S)
# The browser's own local time as a datetime-local field wants it, `minutes` from now.
LOCAL_TIME = """minutes => {
    const d = new Date(Date.now() + minutes * 60000);
    const pad = (n) => String(n).padStart(2, "0");
    const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    return `${day}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}"""


def test_take_home_is_submitted_at_the_deadline_after_the_tab_closed(new_page: Any, server: Any, shots: Path) -> None:
    interviewer = new_page()
    page = interviewer.page
    log_in(page, server.create_user("interviewer"))

    interviewer.goto("/interviews/new")
    page.fill("#title", "Take-home: numerics")
    page.fill("#candidate_name", "Ada")
    page.check("input[name=framework][value=torch]")
    page.select_option("#duration_min", str(DURATION_MIN))
    page.check("input[name=questions][value=softmax]")
    assert not page.is_visible("#opens_at")  # the window appears once take-home is ticked
    page.check("[data-take-home-toggle]")
    page.fill("#opens_at", page.evaluate(LOCAL_TIME, -1))
    page.fill("#closes_at", page.evaluate(LOCAL_TIME, 3 * 24 * 60))
    with page.expect_navigation():
        page.click("[data-create-session]")
    assert page.locator("[data-take-home-state]").inner_text() == "Not started"
    link = page.input_value("[data-candidate-link]")
    session_url = page.url.removesuffix("/")

    # The candidate sees the rules first; the clock starts only when they press Start.
    candidate = new_page()
    cpage = candidate.page
    cpage.goto(link)
    facts = cpage.locator("[data-take-home-facts]").inner_text()
    assert f"{DURATION_MIN} minutes" in facts and "1 coding question" in facts
    assert "even if you have closed this page" in cpage.locator("[data-rules]").inner_text()
    shot(cpage, shots, "take-home-start")
    violations = run_axe(cpage, "take-home start page")
    with cpage.expect_navigation():
        cpage.click("[data-start-session]")
    cpage.wait_for_selector(".cm-editor")
    left = cpage.locator("[data-countdown]").inner_text()
    assert left.startswith("0:"), f"{DURATION_MIN} take-home minutes last {DURATION_MIN * TAKE_HOME_MINUTE_S} s: {left}"
    set_code(cpage, solution("stable.torch.py"))
    cpage.wait_for_function("() => document.querySelector('[data-save-state]').textContent === 'Saved'")
    candidate.assert_clean()
    candidate.context.close()  # the tab is gone long before the deadline

    interviewer.goto(session_url)
    assert page.locator("[data-take-home-state]").inner_text() == "In progress"
    # The deadline, the server's next pass and the grading: the report fills in by itself.
    report = f"{session_url}/report"
    wait_s = DURATION_MIN * TAKE_HOME_MINUTE_S + GRADING_TIMEOUT_MS / 1000
    deadline = time.monotonic() + wait_s
    graded = '[data-take-home-question="softmax"][data-outcome="auto_submitted"] .status.accepted'
    page.goto(report)
    while page.locator(graded).count() == 0:
        assert time.monotonic() < deadline, f"not handed in and graded within {wait_s:.0f} s"
        page.wait_for_timeout(1000)
        page.goto(report)
    assert page.locator("[data-take-home-status]").inner_text() == "Submitted"
    row = page.locator('[data-take-home-question="softmax"]')
    assert "Last code submitted automatically" in row.inner_text() and "Accepted" in row.inner_text()
    assert page.locator("[data-timeline]").first.inner_text().count("Auto-submitted at the deadline") == 1
    assert page.locator("[data-snapshot] summary", has_text="Auto-submit #1").count() == 1
    shot(page, shots, "take-home-report")
    violations += run_axe(page, "take-home report")
    assert not violations, report_violations(violations)
    interviewer.goto("/interviews")
    assert page.locator("[data-take-home-state]").first.inner_text() == "Submitted"
    shot(page, shots, "take-home-list")
    interviewer.assert_clean()
