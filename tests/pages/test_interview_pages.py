"""Interview pages: create a session, the candidate's link, the live data and the report."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.service import set_role
from app.interviews.models import InterviewSession
from app.pairing.service import INTERVIEWER, write_text
from tests.server.support import Stack

from .conftest import Browser, csrf_of


def _interviewer(browser: Browser, stack: Stack) -> str:
    email = browser.sign_up()
    with stack.database.session() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        set_role(db, user.id, Role.INTERVIEWER)
    return email


def _create(browser: Browser, **overrides: str) -> tuple[str, str]:
    form = {
        "title": "Numerics loop",
        "candidate_name": "Grace",
        "framework": "torch",
        "duration_min": "30",
        "questions": "softmax",
        "notes": "ask about overflow",
    }
    form.update(overrides)
    response = browser.submit("/interviews/new", "/interviews", form)
    assert response.status_code == 303, response.text
    detail_url = response.headers["location"]
    detail = browser.get(detail_url).text
    match = re.search(r'value="(http://testserver/interview/[^"]+)"', detail)
    assert match, "the candidate link is shown after creating the session"
    return detail_url, match.group(1).removeprefix("http://testserver")


def _started(browser: Browser, stack: Stack) -> tuple[str, str, Browser]:
    """A new session's page and link, and the candidate's browser that started its clock."""
    _interviewer(browser, stack)
    detail_url, link = _create(browser)
    candidate = Browser(browser.client.app)  # no account
    candidate.get(link)
    assert candidate.submit("/interview", "/interview/start", {}).status_code == 303
    return detail_url, link, candidate


def test_new_session_form_validates(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    none_picked = browser.submit("/interviews/new", "/interviews", {"framework": "torch", "duration_min": "30"})
    assert none_picked.status_code == 422 and "Pick at least one question" in none_picked.text
    too_long = browser.submit(
        "/interviews/new", "/interviews", {"framework": "torch", "duration_min": "999", "questions": "softmax"}
    )
    assert too_long.status_code == 422 and "between 5 and 480" in too_long.text


def test_candidate_link_start_session_and_end(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    detail_url, link = _create(browser)
    assert "ask about overflow" in browser.get(detail_url).text

    candidate = Browser(browser.client.app)  # no account
    opened = candidate.get(link)  # the link is exchanged for a cookie and left behind
    assert opened.status_code == 303 and opened.headers["location"] == "/interview"
    start = candidate.get("/interview")
    assert "Start the clock" in start.text and "Numerically stable softmax" in start.text
    assert start.headers["referrer-policy"] == "same-origin"
    assert candidate.submit("/interview", "/interview/start", {}).status_code == 303
    session = candidate.get("/interview").text
    assert "data-countdown" in session and "raise NotImplementedError" in session
    assert link.rsplit("/", 1)[1] not in session, "the page never shows the link's token"
    assert candidate.get("/interview/status").json()["open"] is True

    live = browser.get(f"{detail_url}/live.json").json()
    assert live["state"] == "live" and "Candidate opened the link" in live["timeline_html"]

    ended = browser.submit(detail_url, f"{detail_url}/end", {})
    assert ended.headers["location"] == f"{detail_url}/report"
    assert candidate.get("/interview/status").json()["open"] is False
    closed = candidate.get("/interview")
    assert closed.status_code == 200 and "This session is closed" in closed.text
    assert "NotImplementedError" not in closed.text


def test_report_and_scorecard(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    detail_url, _link = _create(browser)
    report = browser.get(f"{detail_url}/report").text
    assert "Interview report" in report and "no attempt" in report
    saved = browser.submit(
        f"{detail_url}/report",
        f"{detail_url}/scorecard",
        {"notes": "solid numerics", "recommendation": "strong_yes", "score": "5", "score_softmax": "4"},
    )
    assert saved.status_code == 303
    report = browser.get(f"{detail_url}/report").text
    assert "solid numerics" in report and "Strong yes" in report
    assert 'name="score_softmax" value="4" checked' in report


AUTOSAVED = "def softmax(x):\n    return x  # autosaved\n"
SHARED = "def softmax(x):\n    return x.softmax(-1)  # fixed together\n"


def _between(html: str, start: str, end: str = "</pre>") -> str:
    assert start in html, f"{start!r} is not on the page"
    return html.split(start, 1)[1].split(end, 1)[0]


def test_after_the_end_the_final_shared_code_is_shown_with_the_last_saved(browser: Browser, stack: Stack) -> None:
    detail_url, link, candidate = _started(browser, stack)
    headers = {"X-CSRF-Token": csrf_of(candidate.get("/interview").text)}
    draft = {"question": "softmax", "code": AUTOSAVED}
    assert candidate.client.put("/interview/draft", json=draft, headers=headers).status_code == 204
    # The interviewer then types in the shared document: an edit that puts nothing on the timeline.
    with stack.database.session() as db:
        session = db.get(InterviewSession, int(detail_url.rsplit("/", 1)[1]))
        assert session is not None
        write_text(db, session, "softmax", SHARED, INTERVIEWER)

    live = browser.get(f"{detail_url}/live.json").json()["code"]["softmax"]
    assert (live["code"], live["shared"], live["saved"]) == (SHARED, True, AUTOSAVED)
    assert "data-saved-code" not in browser.get(f"{detail_url}/live").text  # only once it is over

    assert browser.submit(detail_url, f"{detail_url}/end", {}).status_code == 303
    page = browser.get(f"{detail_url}/live").text
    assert _between(page, "data-live-code-label>", "</p>") == "Final shared code"
    assert _between(page, 'data-live-code="softmax">') == SHARED
    assert _between(page, 'data-saved-code="softmax">', "</div>").count(AUTOSAVED) == 1
    report = browser.get(f"{detail_url}/report").text
    assert _between(report, "<pre data-final-code><code>") == SHARED + "</code>"
    assert _between(report, "<pre data-saved-code><code>") == AUTOSAVED + "</code>"

    # Who may read it is unchanged: not another interviewer, not the candidate's closed link.
    other = Browser(browser.client.app)
    _interviewer(other, stack)
    assert [other.get(f"{detail_url}/{page}").status_code for page in ("live", "live.json", "report")] == [404] * 3
    closed = candidate.get("/interview")
    assert "This session is closed" in closed.text and "fixed together" not in closed.text
    token = link.rsplit("/", 1)[1]
    assert candidate.get(f"/api/interview/{token}").status_code == 410


def test_sessions_belong_to_their_interviewer(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    detail_url, _link = _create(browser)
    other = Browser(browser.client.app)
    _interviewer(other, stack)
    assert other.get(detail_url).status_code == 404
    assert other.get(f"{detail_url}/report").status_code == 404
    assert other.get(f"{detail_url}/live.json").status_code == 404


def test_unknown_link_is_not_found(browser: Browser) -> None:
    assert browser.get("/interview/not-a-real-token").status_code == 404
