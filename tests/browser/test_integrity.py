"""Integrity signals in a real browser: a paste into the candidate's editor and a time out of
focus reach the interviewer's live timeline and the report, which passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .axe import report, run_axe
from .flows import editor_text, log_in, shot, start_session

pytestmark = pytest.mark.slow

PASTED = "".join(f"    partial_{i} = x[..., {i}] * 2  # pasted line {i}\n" for i in range(12))


def test_paste_and_time_away_reach_the_interviewer(new_page: Any, server: Any, shots: Path) -> None:
    interviewer = new_page()
    page = interviewer.page
    log_in(page, server.create_user("interviewer"))
    interviewer.goto("/interviews/new")
    page.check("input[name=framework][value=torch]")
    page.check("input[name=questions][value=softmax]")
    with page.expect_navigation():
        page.click("[data-create-session]")
    link = page.input_value("[data-candidate-link]")
    session_url = page.url.removesuffix("/")

    candidate = new_page()
    cpage = candidate.page
    start_session(cpage, link)

    interviewer.goto(session_url + "/live")
    page.wait_for_selector("[data-live-indicator]:not([hidden])", timeout=15_000)

    # A real paste event on the editor, as the browser fires it, with the text on the clipboard.
    with cpage.expect_response(lambda r: r.url.endswith("/interview/signals")) as sent:
        cpage.click(".cm-content")
        cpage.evaluate(
            """(text) => {
                const data = new DataTransfer();
                data.setData("text/plain", text);
                const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
                document.querySelector(".cm-content").dispatchEvent(event);
            }""",
            PASTED,
        )
    assert sent.value.status == 204
    assert "partial_11 = x[..., 11]" in editor_text(cpage)  # the editor took the paste as well

    # The window loses focus for a moment and gets it back.
    with cpage.expect_response(lambda r: r.url.endswith("/interview/signals")) as sent:
        cpage.evaluate("() => window.dispatchEvent(new Event('blur'))")
        cpage.wait_for_timeout(1300)
        cpage.evaluate("() => window.dispatchEvent(new Event('focus'))")
    assert sent.value.status == 204

    # The live view gets both from the bus, without a reload.
    chars = f"{len(PASTED):,}"
    page.wait_for_function(
        "(chars) => document.querySelector('[data-timeline]').textContent.includes(`Pasted ${chars} characters`)",
        arg=chars,
        timeout=15_000,
    )
    page.wait_for_function(
        "() => document.querySelector('[data-timeline]').textContent.includes('Window out of focus for 1 s')",
        timeout=15_000,
    )
    row = page.locator("[data-timeline] li[data-entry='paste']")
    assert "(12 lines)" in row.inner_text()
    row.locator("summary").click()
    assert "partial_11 = x[..., 11]" in row.locator("pre").inner_text()
    assert page.locator("[data-signal-note]").is_visible()
    shot(page, shots, "integrity-live")

    # The report: the timeline entry and the Integrity signals section.
    interviewer.goto(session_url + "/report")
    section = page.locator("[data-integrity]")
    assert f"1 paste; the largest {chars} characters (12 lines)" in section.inner_text()
    assert "1 s in all, 1 time" in section.inner_text()
    assert "not evidence of cheating" in section.inner_text()
    assert f"Pasted {chars} characters (12 lines)" in page.locator("[data-timeline]").first.inner_text()
    violations = run_axe(page, "report with integrity signals")
    assert not violations, report(violations)
    shot(page, shots, "integrity-report", full_page=True)
    interviewer.assert_clean()
    candidate.assert_clean()
