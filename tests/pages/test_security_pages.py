"""Security as the pages show it: 429 messages, log out everywhere, the candidate link cookie,
error pages in the app's layout."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.accounts.models import Role
from app.accounts.service import get_user_by_email, set_role
from app.main import create_app
from tests.server.support import Stack, sqlite_stack

from .conftest import PASSWORD, Browser, csrf_of


def test_too_many_logins_is_a_readable_page(tmp_path: Path) -> None:
    stack = sqlite_stack(tmp_path, rate_limits=True, rate_login_per_account="2/minute")
    try:
        app = create_app(stack.settings)
        email = Browser(app).sign_up()
        browser = Browser(app)  # someone else, at the login form
        wrong = {"email": email, "password": "not the password"}
        for _ in range(2):
            assert browser.submit("/login", "/login", wrong).status_code == 401
        refused = browser.submit("/login", "/login", {"email": email, "password": PASSWORD})
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "Too many login attempts for this account: try again in" in refused.text
        assert 'action="/login"' in refused.text, "the form is still there to retry later"
    finally:
        stack.close()


def test_too_many_signups_is_a_readable_page(tmp_path: Path) -> None:
    stack = sqlite_stack(tmp_path, rate_limits=True, rate_signup_per_address="1/hour")
    try:
        browser = Browser(create_app(stack.settings))
        browser.sign_up()
        form = {"email": f"again-{uuid.uuid4().hex[:6]}@example.com", "password": PASSWORD, "confirm": PASSWORD}
        refused = Browser(browser.client.app).submit("/signup", "/signup", form)
        assert refused.status_code == 429 and "Too many sign-ups from your address" in refused.text
        assert int(refused.headers["retry-after"]) > 60
    finally:
        stack.close()


def test_log_out_everywhere_from_the_account_page(app: FastAPI) -> None:
    laptop = Browser(app)
    email = laptop.sign_up()
    phone = Browser(app)
    logged_in = phone.submit("/login", "/login", {"email": email, "password": PASSWORD})
    assert logged_in.status_code == 303
    api = TestClient(app).post("/api/auth/login", json={"email": email, "password": PASSWORD}).json()["token"]

    account = laptop.get("/account")
    assert account.status_code == 200 and email in account.text and "Log out everywhere" in account.text
    assert 'href="/account"' in laptop.get("/questions").text, "the header links to the account page"
    done = laptop.submit("/account", "/account/logout-all", {})
    assert done.status_code == 303 and done.headers["location"] == "/login"

    assert phone.get("/questions/softmax/submissions").status_code == 303, "the phone is logged out"
    assert laptop.get("/account").status_code == 303
    assert TestClient(app).get("/api/auth/me", headers={"Authorization": f"Bearer {api}"}).status_code == 401


def test_log_out_everywhere_needs_the_form_token(app: FastAPI) -> None:
    browser = Browser(app)
    browser.sign_up()
    forged = browser.client.post("/account/logout-all", data={}, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    assert browser.get("/account").status_code == 200, "still logged in"


def _interview_link(app: FastAPI, stack: Stack) -> tuple[TestClient, int, str]:
    email = f"iv-{uuid.uuid4().hex[:8]}@example.com"
    token = TestClient(app).post("/api/auth/signup", json={"email": email, "password": PASSWORD}).json()["token"]
    with stack.database.session() as db:
        user = get_user_by_email(db, email)
        assert user is not None
        set_role(db, user.id, Role.INTERVIEWER)
    interviewer = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    body = {"questions": ["softmax"], "framework": "torch", "duration_min": 30}
    made = interviewer.post("/api/interviews", json=body).json()
    return interviewer, int(made["id"]), str(made["candidate_token"])


def test_the_candidate_link_becomes_an_httponly_cookie(app: FastAPI, stack: Stack) -> None:
    _interviewer, _session_id, link = _interview_link(app, stack)
    candidate = Browser(app)
    opened = candidate.get(f"/interview/{link}")
    assert opened.status_code == 303 and opened.headers["location"] == "/interview"
    assert opened.headers["referrer-policy"] == "no-referrer" and opened.headers["cache-control"] == "no-store"
    cookie = opened.headers["set-cookie"]
    assert cookie.startswith("dojo_interview=") and "HttpOnly" in cookie and "Path=/interview" in cookie

    start = candidate.get("/interview")
    assert start.status_code == 200 and link not in start.text
    assert candidate.submit("/interview", "/interview/start", {}).status_code == 303
    page = candidate.get("/interview").text
    assert link not in page and 'data-draft-url="/interview/draft"' in page
    assert 'data-events-url="/interview/submissions/{id}/events"' in page

    draft = {"question": "softmax", "code": "def softmax(x, dim):\n    return x  # draft\n"}
    headers = {"X-CSRF-Token": csrf_of(page)}
    assert candidate.client.put("/interview/draft", json=draft, headers=headers).status_code == 204
    assert candidate.client.put("/interview/draft", json=draft).status_code == 403, "drafts need the page's token"
    sent = candidate.client.post(
        "/interview/submissions",
        data={"question": "softmax", "code": draft["code"], "mode": "run", "csrf_token": csrf_of(page)},
        headers={"Accept": "application/json"},
    )
    assert sent.status_code == 202 and sent.json()["events_url"].startswith("/interview/submissions/")
    assert candidate.get(sent.json()["panel_url"]).status_code == 200


def test_a_new_link_stops_the_old_cookie(app: FastAPI, stack: Stack) -> None:
    interviewer, session_id, link = _interview_link(app, stack)
    candidate = Browser(app)
    candidate.get(f"/interview/{link}")
    assert candidate.get("/interview").status_code == 200
    assert interviewer.post(f"/api/interviews/{session_id}/link").status_code == 200
    assert candidate.get("/interview").status_code == 404


def test_the_interview_page_without_a_link_says_what_to_do(app: FastAPI) -> None:
    page = Browser(app).get("/interview", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Open the interview link your interviewer sent you" in page.text
    forged = Browser(app)
    forged.client.cookies.set("dojo_interview", "forged.value.here")
    assert forged.get("/interview").status_code == 404


def test_error_pages_use_the_layout_with_a_way_back(app: FastAPI) -> None:
    browser = Browser(app)
    browser.sign_up()
    html = {"Accept": "text/html"}
    for url, status, title in (
        ("/no-such-page", 404, "Not found"),
        ("/interviews", 403, "Not allowed"),  # a candidate on an interviewer page
        ("/questions/softmax/solutions/nope", 404, "Not found"),
    ):
        page = browser.get(url, headers=html)
        assert page.status_code == status, url
        assert f"<h1>{title}</h1>" in page.text and "data-error-home" in page.text, url
        assert re.search(r'class="site-header"', page.text), "the app's own layout"
