"""CSRF on the JSON API, security headers, https behind trusted proxies, error pages, huge ids."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app

from .support import Stack, sqlite_stack

PASSWORD = "correct horse"
SUBMISSION = {"question": "softmax", "framework": "torch", "code": "def softmax(x, dim):\n    return x\n"}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    built = sqlite_stack(tmp_path_factory.mktemp("web"), trusted_proxies="10.9.0.0/16")
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(web: Stack) -> FastAPI:
    return create_app(web.settings)


def _cookie_client(app: FastAPI) -> TestClient:
    """A browser-like client logged in by the session cookie only."""
    client = TestClient(app, base_url="http://dojo.test")
    email = f"web-{uuid.uuid4().hex[:8]}@example.com"
    assert client.post("/api/auth/signup", json={"email": email, "password": PASSWORD}).status_code == 201
    return client


# ---- CSRF on the API ----


def test_cross_site_requests_with_the_cookie_are_refused(app: FastAPI) -> None:
    client = _cookie_client(app)
    evil = {"Origin": "https://evil.example"}
    refused = client.post("/api/submissions", json=SUBMISSION, headers=evil)
    assert refused.status_code == 403 and refused.json()["error"] == "csrf_failed"
    assert client.post("/api/auth/logout", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post("/api/interviews/1/end", headers={"Sec-Fetch-Site": "same-site"}).status_code == 403
    # A form post from another site carries no Origin in some browsers' modes, nor a token.
    form = client.post("/api/auth/logout", data={"x": "1"})
    assert form.status_code == 403
    assert client.get("/api/auth/me").status_code == 200, "still logged in: nothing was forged"


def test_same_origin_requests_with_the_cookie_pass(app: FastAPI) -> None:
    client = _cookie_client(app)
    own = {"Origin": "http://dojo.test"}
    assert client.post("/api/submissions", json=SUBMISSION, headers=own).status_code == 202
    fetch = {"Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/submissions", json=SUBMISSION, headers=fetch).status_code == 202
    # No browser headers at all: the pages' CSRF header proves the caller read our page.
    page = client.get("/account").text
    token = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page)
    assert token is not None
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": token.group(1)}).status_code == 204


def test_bearer_requests_are_not_affected(app: FastAPI) -> None:
    email = f"web-{uuid.uuid4().hex[:8]}@example.com"
    token = TestClient(app).post("/api/auth/signup", json={"email": email, "password": PASSWORD}).json()["token"]
    client = TestClient(app, headers={"Authorization": f"Bearer {token}", "Origin": "https://tool.example"})
    assert client.post("/api/submissions", json=SUBMISSION).status_code == 202


def test_login_and_signup_are_not_blocked_by_an_old_cookie(app: FastAPI) -> None:
    client = _cookie_client(app)
    email = f"web-{uuid.uuid4().hex[:8]}@example.com"
    assert client.post("/api/auth/signup", json={"email": email, "password": PASSWORD}).status_code == 201
    assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
    cross = client.post(
        "/api/auth/login", json={"email": email, "password": PASSWORD}, headers={"Origin": "https://x.example"}
    )
    assert cross.status_code == 403  # a browser on another site cannot log this one in


# ---- headers ----


def test_pages_and_api_carry_the_security_headers(app: FastAPI) -> None:
    client = TestClient(app)
    for url in ("/", "/login", "/api/health", "/static/css/app.css", "/no-such-page"):
        headers = client.get(url).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url
        assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)", policy), policy
        assert "'unsafe-inline'" not in policy.split("style-src-attr")[0], "scripts and style elements stay strict"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in headers, "plain http: no HSTS"


def test_each_page_gets_its_own_style_nonce_and_shows_it_to_the_editor(app: FastAPI) -> None:
    client = TestClient(app)
    first, second = client.get("/login"), client.get("/login")
    nonces = [re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"]) for r in (first, second)]
    assert nonces[0] and nonces[1] and nonces[0].group(1) != nonces[1].group(1)
    assert f'<meta name="csp-nonce" content="{nonces[0].group(1)}">' in first.text


def test_the_pages_have_no_inline_script_but_the_hashed_import_map(app: FastAPI) -> None:
    html = _cookie_client(app).get("/questions").text
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline == ['<script type="importmap">'], inline
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


def test_https_through_a_trusted_proxy_gets_hsts_and_secure_cookies(app: FastAPI) -> None:
    proxied = TestClient(app, client=("10.9.0.5", 40000))
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    email = f"web-{uuid.uuid4().hex[:8]}@example.com"
    response = proxied.post("/api/auth/signup", json={"email": email, "password": PASSWORD}, headers=forwarded)
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "; Secure" in response.headers["set-cookie"]


def test_forwarded_headers_from_anyone_else_are_ignored(app: FastAPI) -> None:
    direct = TestClient(app, client=("198.51.100.9", 40000))
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    email = f"web-{uuid.uuid4().hex[:8]}@example.com"
    response = direct.post("/api/auth/signup", json={"email": email, "password": PASSWORD}, headers=forwarded)
    assert "strict-transport-security" not in response.headers
    assert "Secure" not in response.headers["set-cookie"]


# ---- error pages ----


def test_browsers_get_html_error_pages_with_a_way_back(app: FastAPI) -> None:
    browser = TestClient(app, headers={"Accept": "text/html,application/xhtml+xml"})
    missing = browser.get("/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in missing.text and 'href="/"' in missing.text and "data-error-home" in missing.text
    api = browser.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json()["error"] == "not_found", "the API keeps JSON"
    script = TestClient(app).get("/no-such-page", headers={"Accept": "application/json"})
    assert script.json() == {"error": "not_found", "message": "no such page"}


def test_a_server_error_is_a_page_for_browsers_and_json_for_the_api(web: Stack) -> None:
    app = create_app(web.settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    @app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("kaboom")

    browser = TestClient(app, raise_server_exceptions=False, headers={"Accept": "text/html"})
    page = browser.get("/boom")
    assert page.status_code == 500 and "Something went wrong" in page.text and "kaboom" not in page.text
    assert 'href="/"' in page.text
    api = browser.get("/api/boom")
    assert api.status_code == 500 and api.json()["error"] == "internal"


def test_ids_past_64_bits_are_not_found(app: FastAPI) -> None:
    email = f"web-{uuid.uuid4().hex[:8]}@example.com"
    token = TestClient(app).post("/api/auth/signup", json={"email": email, "password": PASSWORD}).json()["token"]
    from app.accounts.models import Role
    from app.accounts.service import get_user_by_email, set_role

    with app.state.database.session() as db:
        user = get_user_by_email(db, email)
        assert user is not None
        set_role(db, user.id, Role.ADMIN)
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    huge = "9" * 30
    for url in (f"/api/interviews/{huge}", f"/api/interviews/{2**64}/report", f"/api/interviews/{huge}/timeline"):
        assert client.get(url).status_code == 404, url
    assert client.put(f"/api/admin/users/{huge}/role", json={"role": "admin"}).status_code == 404
    page = client.get(f"/interviews/{huge}", headers={"Accept": "text/html"})
    assert page.status_code == 404
