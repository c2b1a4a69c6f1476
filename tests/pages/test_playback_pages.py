"""The report's playback panel: present once the candidate has started, with its data URL, and
its data readable by the interviewer's browser session (the cookie) but not the candidate's."""

from __future__ import annotations

from tests.server.support import Stack

from .conftest import Browser
from .test_interview_pages import _create, _interviewer


def test_the_report_has_a_playback_panel_once_started(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    detail_url, link = _create(browser)
    session_id = detail_url.rstrip("/").rsplit("/", 1)[1]
    waiting = browser.get(f"{detail_url}/report").text
    assert "data-playback" not in waiting  # nothing to play before the candidate starts

    candidate = Browser(browser.client.app)
    candidate.get(link)
    assert candidate.submit("/interview", "/interview/start", {}).status_code == 303
    report = browser.get(f"{detail_url}/report").text
    panel = report.split("data-playback ", 1)[1].split("</section>", 1)[0]
    assert f'data-playback-url="/api/interviews/{session_id}/playback/softmax"' in panel
    assert 'aria-label="Position in the editing history of Numerically stable softmax"' in panel
    assert "Page Up and Page Down ten" in panel and "js/playback.js" in report and "css/playback.css" in report

    data = browser.get(f"/api/interviews/{session_id}/playback/softmax")
    assert data.status_code == 200 and data.json()["initial"].startswith("import torch")
    assert candidate.get(f"/api/interviews/{session_id}/playback/softmax").status_code == 401
