"""Integrity signals on the pages: the candidate's page sends them by its cookie, the timeline
and the report's "Integrity signals" section show them, escaped, with what they can mean."""

from __future__ import annotations

from pathlib import Path

from tests.server.support import Stack

from .conftest import Browser, csrf_of
from .test_interview_pages import _create, _interviewer, _started

REFERENCE = Path("questions/softmax/torch/reference.py").read_text()


def test_signals_on_the_timeline_and_in_the_report(browser: Browser, stack: Stack) -> None:
    detail_url, _link, candidate = _started(browser, stack)
    page = candidate.get("/interview").text
    assert 'data-signals-url="/interview/signals"' in page
    headers = {"X-CSRF-Token": csrf_of(page)}
    pasted = "<script>alert(1)</script>\n" + "row = 1\n" * 47
    paste = {"type": "paste", "question": "softmax", "chars": 1234, "lines": 48, "text": pasted}
    assert candidate.client.post("/interview/signals", json=paste, headers=headers).status_code == 204
    hidden = {"type": "hidden", "question": "softmax", "seconds": 125, "reason": "hidden"}
    assert candidate.client.post("/interview/signals", json=hidden, headers=headers).status_code == 204
    assert candidate.client.post("/interview/signals", json=hidden).status_code == 403  # no CSRF token
    draft = {"question": "softmax", "code": REFERENCE}
    assert candidate.client.put("/interview/draft", json=draft, headers=headers).status_code == 204

    # The candidate's page shows none of it.
    page = candidate.get("/interview").text
    assert "Pasted" not in page and "Page hidden" not in page and "Integrity" not in page

    live = browser.get(f"{detail_url}/live.json").json()["timeline_html"]
    assert "Pasted 1,234 characters (48 lines)" in live and "Page hidden for 2 min 5 s" in live
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in live and "<script>alert" not in live
    assert "not evidence of cheating" in live

    report = browser.get(f"{detail_url}/report").text
    assert "<script>alert" not in report
    section = report.split('id="integrity"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="integrity-title">Integrity signals</h2>' in section
    assert "1 paste; the largest 1,234 characters (48 lines)" in section
    assert "2 min 5 s in all, 1 time" in section
    assert "never an automatic verdict" in section and "not evidence of cheating" in section
    assert "Similar code is expected" in section
    row = section.split('data-similarity-question="softmax"', 1)[1].split("</tr>", 1)[0]
    assert "100%" in row  # the draft is the reference itself
    assert '<details class="pasted" data-pasted>' in report and "Pasted text" in report


def test_report_without_signals(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    detail_url, _link = _create(browser)
    report = browser.get(f"{detail_url}/report").text
    section = report.split('id="integrity"', 1)[1].split("</section>", 1)[0]
    assert section.count("None recorded") == 2 and "no code" in section
    assert "data-signal-note" not in report  # the timeline's note comes with a signal only
