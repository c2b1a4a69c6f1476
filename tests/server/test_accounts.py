"""Sign up, log in and out, bearer tokens and the session cookie, roles."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import Api, signup
from .support import Stack


def test_signup_login_me_logout(client: TestClient) -> None:
    creds = {"email": "Someone@Example.com", "password": "long enough"}
    created = client.post("/api/auth/signup", json=creds)
    assert created.status_code == 201, created.text
    assert created.json()["user"]["role"] == "candidate"
    login = TestClient(client.app).post("/api/auth/login", json=creds)
    assert login.status_code == 200
    token = login.json()["token"]
    me = TestClient(client.app).get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == "someone@example.com"
    out = TestClient(client.app).post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert out.status_code == 204
    again = TestClient(client.app).get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 401
    client.post("/api/auth/logout")  # the cookie client logs out too


def test_duplicate_signup_and_bad_login(client: TestClient, candidate: Api) -> None:
    dup = client.post("/api/auth/signup", json={"email": candidate.email, "password": "whatever1"})
    assert dup.status_code == 409
    bad = client.post("/api/auth/login", json={"email": candidate.email, "password": "wrong-pass"})
    assert bad.status_code == 401 and bad.json()["error"] == "unauthorized"
    unknown = client.post("/api/auth/login", json={"email": "nobody@x.io", "password": "wrong-pass"})
    assert unknown.status_code == 401


def test_cookie_session_is_signed_httponly(client: TestClient) -> None:
    response = client.post("/api/auth/signup", json={"email": "cookie@x.io", "password": "12345678"})
    header = response.headers["set-cookie"]
    assert "dojo_session=" in header and "HttpOnly" in header and "SameSite=lax" in header
    assert client.get("/api/auth/me").status_code == 200  # the cookie alone authenticates
    client.cookies.set("dojo_session", "forged.value.here")
    assert client.get("/api/auth/me").status_code == 401


def test_missing_and_bad_auth(client: TestClient) -> None:
    assert client.get("/api/auth/me").json()["error"] == "unauthorized"
    bad = client.get("/api/submissions", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_roles(client: TestClient, candidate: Api, stack: Stack) -> None:
    assert candidate.get("/api/interviews").status_code == 403
    assert candidate.post("/api/admin/users", json={}).status_code in (403, 422)
    admin = signup(client, "admin", stack)
    made = admin.post(
        "/api/admin/users",
        json={"email": "iv@x.io", "password": "interview1", "role": "interviewer"},
    )
    assert made.status_code == 201 and made.json()["role"] == "interviewer"
    user_id = made.json()["id"]
    changed = admin.put(f"/api/admin/users/{user_id}/role", json={"role": "candidate"})
    assert changed.json()["role"] == "candidate"


def test_admin_token_setting(stack: Stack) -> None:
    from app.main import create_app

    settings = stack.settings.model_copy(update={"admin_token": "a" * 40})
    settings.admin_token = type(stack.settings.secret_key)("a" * 40)
    client = TestClient(create_app(settings))
    response = client.get("/api/admin/questions/softmax/versions", headers={"Authorization": "Bearer " + "a" * 40})
    assert response.status_code == 200
    assert response.json()[0]["slug"] == "softmax"
