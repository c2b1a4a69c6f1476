"""The admin token's service identity, one token per login, log out everywhere; safe defaults."""

from __future__ import annotations

import logging
import stat
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from app.core.accesslog import RedactLinkTokens, redact
from app.core.settings import Settings
from app.main import create_app

from .conftest import Api
from .support import sqlite_stack

PASSWORD = "correct horse"
ADMIN_TOKEN = "admin-token-" + "k" * 32


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_signup_cannot_claim_the_admin_token_identity(tmp_path: Path) -> None:
    stack = sqlite_stack(tmp_path, admin_token=SecretStr(ADMIN_TOKEN))
    try:
        client = TestClient(create_app(stack.settings))
        # The account the token used to act as, claimed before the token's first use.
        squatter = client.post("/api/auth/signup", json={"email": "Admin@localhost", "password": PASSWORD})
        assert squatter.status_code == 201
        me = TestClient(client.app).get("/api/auth/me", headers=_bearer(ADMIN_TOKEN)).json()
        assert me["role"] == "admin" and me["email"] == "service:admin-token"
        squatter_me = TestClient(client.app).get("/api/auth/me", headers=_bearer(squatter.json()["token"])).json()
        assert squatter_me["role"] == "candidate"
        # The identity has no password and no address: it cannot be logged into or signed up.
        for email in ("service:admin-token", "Service:Admin-Token"):
            assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 422
            assert client.post("/api/auth/signup", json={"email": email, "password": PASSWORD}).status_code == 422
        # Demoting the row does not demote the token: the token is the credential, not the row.
        admin = TestClient(client.app, headers=_bearer(ADMIN_TOKEN))
        identity = admin.get("/api/auth/me").json()["id"]
        assert admin.put(f"/api/admin/users/{identity}/role", json={"role": "candidate"}).status_code == 200
        assert admin.get("/api/auth/me").json()["role"] == "admin"
    finally:
        stack.close()


def _login(client: TestClient, email: str) -> str:
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def test_logout_ends_the_login_for_body_token_and_cookie(client: TestClient) -> None:
    email = f"out-{uuid.uuid4().hex[:8]}@example.com"
    assert client.post("/api/auth/signup", json={"email": email, "password": PASSWORD}).status_code == 201
    browser = TestClient(client.app)
    token = _login(browser, email)
    assert browser.get("/api/auth/me").status_code == 200  # by cookie
    out = TestClient(client.app).post("/api/auth/logout", headers=_bearer(token))
    assert out.status_code == 204
    assert browser.get("/api/auth/me").status_code == 401, "the cookie of that login stopped too"
    assert TestClient(client.app).get("/api/auth/me", headers=_bearer(token)).status_code == 401


def test_log_out_everywhere_in_the_api(client: TestClient) -> None:
    email = f"all-{uuid.uuid4().hex[:8]}@example.com"
    assert client.post("/api/auth/signup", json={"email": email, "password": PASSWORD}).status_code == 201
    laptop, phone = TestClient(client.app), TestClient(client.app)
    tokens = [_login(laptop, email), _login(phone, email)]
    other_email = f"other-{uuid.uuid4().hex[:8]}@example.com"
    other = TestClient(client.app).post("/api/auth/signup", json={"email": other_email, "password": PASSWORD})
    done = TestClient(client.app).post("/api/auth/logout-all", headers=_bearer(tokens[0]))
    assert done.status_code == 200 and done.json()["revoked"] >= 3  # signup, laptop and phone logins
    for token in tokens:
        assert TestClient(client.app).get("/api/auth/me", headers=_bearer(token)).status_code == 401
    assert laptop.get("/api/auth/me").status_code == 401 and phone.get("/api/auth/me").status_code == 401
    still = TestClient(client.app).get("/api/auth/me", headers=_bearer(other.json()["token"]))
    assert still.status_code == 200, "another account's sessions are untouched"


# ---- safe defaults ----


def test_unsafe_settings_are_refused_in_production(tmp_path: Path) -> None:
    safe = {"env": "production", "secret_key": "s" * 32, "data_dir": tmp_path}
    assert Settings(**safe).cookie_secure is True
    with pytest.raises(ValidationError, match="DOJO_UNSAFE_NO_SANDBOX is refused"):
        Settings(**safe, unsafe_no_sandbox=True)
    with pytest.raises(ValidationError, match="DOJO_SECRET_KEY must be set"):
        Settings(env="production", data_dir=tmp_path)
    assert Settings(env="development", data_dir=tmp_path, unsafe_no_sandbox=True).unsafe_no_sandbox


def test_data_files_are_private(tmp_path: Path) -> None:
    made = Settings(data_dir=tmp_path / "new-data")
    made.ensure_data_dir()
    assert stat.S_IMODE(made.data_dir.stat().st_mode) == 0o700, "a data dir the app creates is private"
    fresh = sqlite_stack(tmp_path / "fresh")
    try:
        data_dir = fresh.settings.data_dir
        files = [p for p in data_dir.iterdir() if p.name.startswith(("dojo.sqlite3", "broker.sqlite3"))]
        assert any(p.name == "dojo.sqlite3" for p in files) and any(p.name == "broker.sqlite3" for p in files)
        for path in files:  # the -wal and -shm files inherit the main file's mode
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        fresh.close()


def test_link_tokens_never_reach_the_access_log(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd"
    assert redact(f"/interview/{token}") == "/interview/[link]"
    assert redact(f"/api/interview/{token}/submissions/1/events") == "/api/interview/[link]/submissions/1/events"
    assert redact("/interview/status") == "/interview/status"
    assert redact(f"/invite/{token}") == "/invite/[link]"
    assert redact(f"/api/invites/{token}/accept") == "/api/invites/[link]/accept"
    assert redact("/admin/invites/12/revoke") == "/admin/invites/12/revoke"
    create_app(Settings(data_dir=tmp_path))  # building an app installs the filter on uvicorn's access logger
    logger = logging.getLogger("uvicorn.access")
    assert any(isinstance(f, RedactLinkTokens) for f in logger.filters)
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/interview/{token}", "1.1", 303)
    assert token not in caplog.text and "/interview/[link]" in caplog.text


def test_numbers_past_the_database_range_are_client_errors(admin: Api) -> None:
    """PostgreSQL ids are 32-bit, SQLite binds at most 64 bits: neither may turn into a 500."""
    body = {"questions": ["softmax"], "framework": "torch", "duration_min": 30}
    session_id = admin.post("/api/interviews", json=body).json()["id"]
    for huge in (2**31, 2**63, 10**30):
        assert admin.get(f"/api/interviews/{huge}").status_code == 404, huge
        assert admin.get(f"/api/interviews/{huge}/report").status_code == 404, huge
        after = admin.get(f"/api/interviews/{session_id}/timeline", params={"after": huge})
        assert after.status_code in (200, 422), (huge, after.text)


def test_text_with_nul_characters_is_refused_not_a_server_error(client: TestClient, admin: Api) -> None:
    """PostgreSQL text cannot hold U+0000; found by the API fuzzing on signup."""
    signup = client.post("/api/auth/signup", json={"email": "nul\u0000@example.com", "password": PASSWORD})
    assert signup.status_code == 422
    body = {"questions": ["softmax"], "framework": "torch", "duration_min": 30, "title": "a\u0000b"}
    made = admin.post("/api/interviews", json=body)
    expected = 201 if client.app.state.settings.is_sqlite else 422  # SQLite stores it; PostgreSQL cannot
    assert made.status_code == expected, made.text
    assert admin.get("/api/questions/soft%00max").status_code in (404, 422)
