"""Sign up, log in and out through the forms; CSRF; redirects for pages that need a login."""

from __future__ import annotations

from .conftest import PASSWORD, Browser


def test_signup_logs_in_and_logout_logs_out(browser: Browser) -> None:
    email = browser.sign_up()
    page = browser.get("/questions")
    assert email in page.text and "Log out" in page.text
    out = browser.submit("/questions", "/logout", {})
    assert out.status_code == 303
    assert "Log in" in browser.get("/questions").text


def test_login_with_wrong_password_shows_the_form_again(browser: Browser, app: object) -> None:
    email = browser.sign_up()
    other = Browser(browser.client.app)
    wrong = other.submit("/login", "/login", {"email": email, "password": "not it at all"})
    assert wrong.status_code == 401
    assert "Wrong email or password" in wrong.text
    right = other.submit("/login", "/login", {"email": email, "password": PASSWORD, "next": "/practice"})
    assert right.status_code == 303 and right.headers["location"] == "/practice"


def test_forms_without_a_csrf_token_are_refused(browser: Browser) -> None:
    browser.get("/login")  # has the CSRF cookie, but sends no token
    response = browser.client.post("/login", data={"email": "a@b.c", "password": PASSWORD})
    assert response.status_code == 403
    forged = browser.client.post("/login", data={"email": "a@b.c", "csrf_token": "0" * 64})
    assert forged.status_code == 403


def test_cross_site_origin_is_refused_even_with_a_token(browser: Browser) -> None:
    response = browser.submit(
        "/signup",
        "/signup",
        {"email": "x@example.com", "password": PASSWORD, "confirm": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_next_only_goes_to_this_site(browser: Browser) -> None:
    email = browser.sign_up()
    browser.submit("/questions", "/logout", {})
    response = browser.submit("/login", "/login", {"email": email, "password": PASSWORD, "next": "//evil.example/x"})
    assert response.headers["location"] == "/questions"


def test_pages_that_need_a_login_redirect_to_it(browser: Browser) -> None:
    response = browser.get("/interviews/new")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/interviews/new"


def test_candidates_cannot_open_interviewer_pages(browser: Browser) -> None:
    browser.sign_up()
    response = browser.get("/interviews")
    assert response.status_code == 403
    assert "for interviewers" in response.text
    assert "Interviews</a>" not in browser.get("/questions").text  # not in the navigation
