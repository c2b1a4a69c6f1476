"""Take-home pages: the new-session form's window, the candidate's start page, the interviewer's
state badges and the report's hand-in section."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from app.core.database import utcnow
from app.interviews import takehome
from app.interviews.models import InterviewSession
from tests.server.support import Stack

from .conftest import Browser, csrf_of
from .test_interview_pages import _create, _interviewer


def _window(opens_in: timedelta = timedelta(0), length: timedelta = timedelta(days=2)) -> dict[str, str]:
    opens = utcnow() + opens_in
    # As the page's script sends them: the typed local times and the same moments in UTC.
    return {
        "take_home": "1",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + length).strftime("%Y-%m-%dT%H:%M"),
        "opens_at_utc": opens.isoformat(),
        "closes_at_utc": (opens + length).isoformat(),
    }


def _session_id(detail_url: str) -> int:
    return int(detail_url.rstrip("/").rsplit("/", 1)[1])


def test_the_form_checks_the_window(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    form = browser.get("/interviews/new").text
    assert 'name="take_home"' in form and 'type="datetime-local"' in form
    base = {"framework": "torch", "duration_min": "60", "questions": "softmax"}
    missing = browser.submit("/interviews/new", "/interviews", base | {"take_home": "1"})
    assert missing.status_code == 422 and "Give the time the window opens." in missing.text
    short = browser.submit("/interviews/new", "/interviews", base | _window(length=timedelta(minutes=30)))
    assert short.status_code == 422 and "whole 60-minute duration" in short.text
    assert 'name="take_home" value="1" data-take-home-toggle checked' in short.text  # kept for a retry
    # Without the page's script, the plain fields are read as UTC.
    plain = {k: v for k, v in _window().items() if not k.endswith("_utc")}
    detail_url, _link = _create(browser, **plain)
    with stack.database.session() as db:
        session = db.get(InterviewSession, _session_id(detail_url))
        assert session is not None and session.window_opens_at is not None
        assert session.window_opens_at.strftime("%Y-%m-%dT%H:%M") == plain["opens_at"]


def test_candidate_start_page_and_the_interviewers_states(browser: Browser, stack: Stack, app: FastAPI) -> None:
    _interviewer(browser, stack)
    detail_url, link = _create(browser, **_window(), duration_min="90")
    detail = browser.get(detail_url).text
    assert "data-take-home-state>Not started<" in detail and "Take-home" in detail

    candidate = Browser(app)
    candidate.get(link)
    start = candidate.get("/interview").text
    assert "data-take-home-start" in start and "90 minutes" in start and "1 coding question" in start
    assert "submitted for you, even if you have closed this page" in start and "Start the clock" in start
    assert "Numerically stable softmax" not in start, "questions stay hidden until the start"
    assert candidate.submit("/interview", "/interview/start", {}).status_code == 303
    page = candidate.get("/interview").text
    assert "data-countdown" in page
    draft = {"question": "softmax", "code": "def softmax(x):\n    return x.softmax(-1)\n"}
    saved = candidate.client.put("/interview/draft", json=draft, headers={"X-CSRF-Token": csrf_of(page)})
    assert saved.status_code == 204
    listed = browser.get("/interviews").text
    assert "data-take-home-state>In progress<" in listed

    with stack.database.session() as db:
        session = db.get(InterviewSession, _session_id(detail_url))
        assert session is not None
        session.ends_at = utcnow() - timedelta(minutes=1)
    closed = candidate.get("/interview").text
    assert "deadline passed" in closed and "submitted for you" in closed
    assert "data-take-home-state>Time up: submitting<" in browser.get(detail_url).text
    takehome.sweep_due(stack.database)
    report = browser.get(f"{detail_url}/report").text
    assert 'data-take-home-status="submitted"' in report
    assert 'data-outcome="auto_submitted"' in report and "Last code submitted automatically" in report
    assert "Auto-submitted at the deadline" in report and "Auto-submit #1" in report


def test_a_window_not_open_yet_and_an_expired_one(browser: Browser, stack: Stack, app: FastAPI) -> None:
    _interviewer(browser, stack)
    detail_url, link = _create(browser, **_window(opens_in=timedelta(days=1)))
    candidate = Browser(app)
    candidate.get(link)
    start = candidate.get("/interview").text
    assert "data-not-open" in start and 'action="/interview/start"' not in start
    assert "data-take-home-state>Not started (window not open yet)<" in browser.get("/interviews").text

    with stack.database.session() as db:
        session = db.get(InterviewSession, _session_id(detail_url))
        assert session is not None
        session.window_opens_at = utcnow() - timedelta(days=2)
        session.window_closes_at = utcnow() - timedelta(minutes=1)
    closed = candidate.get("/interview").text
    assert "This session is closed" in closed and "window to start this take-home closed" in closed
    takehome.sweep_due(stack.database)
    report = browser.get(f"{detail_url}/report").text
    assert "data-take-home-expired" in report and "never started before the window closed" in report
    assert "data-take-home-state>Expired<" in report
