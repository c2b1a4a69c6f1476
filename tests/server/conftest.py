"""Fixtures: one stack per backend (SQLite + embedded broker, PostgreSQL + Redis), each with a
real Celery worker process; tests that take `stack` or `client` run on both."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app

from .support import Stack, WorkerProcess, postgres_stack, sqlite_stack, wait_until


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if request.param == "sqlite":
        built = sqlite_stack(tmp_path_factory.mktemp("sqlite-stack"))
    else:
        built = postgres_stack(tmp_path_factory.mktemp("postgres-stack"))
    yield built
    built.close()


@pytest.fixture(scope="session")
def worker(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    process = WorkerProcess(stack, f"w-{stack.name}", tmp_path_factory.mktemp("worker-logs"))
    try:
        yield process.wait_ready()
    finally:
        process.stop()


@pytest.fixture(scope="session")
def app(stack: Stack) -> FastAPI:
    return create_app(stack.settings)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """A fresh client (and cookie jar) per test."""
    return TestClient(app)


class Api:
    """A signed-up user's view of the API."""

    def __init__(self, client: TestClient, token: str, email: str) -> None:
        self.client, self.token, self.email = client, token, email
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, headers=self.headers, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.client.post(url, headers=self.headers, **kw)

    def put(self, url: str, **kw: Any) -> Any:
        return self.client.put(url, headers=self.headers, **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.client.delete(url, headers=self.headers, **kw)

    def submit(self, code: str, question: str = "softmax", framework: str = "torch", mode: str = "run") -> str:
        body = {"question": question, "framework": framework, "code": code, "mode": mode}
        response = self.post("/api/submissions", json=body)
        assert response.status_code == 202, response.text
        return str(response.json()["id"])

    def wait_done(
        self, submission_id: str, timeout_s: float = 120.0, prefix: str = "/api/submissions"
    ) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            body = self.get(f"{prefix}/{submission_id}").json()
            return body if body["state"] == "done" else None

        result: dict[str, Any] = wait_until(done, timeout_s, f"submission {submission_id}", 0.1)
        return result


def signup(client: TestClient, role: str = "candidate", stack: Stack | None = None) -> Api:
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    response = TestClient(client.app).post("/api/auth/signup", json={"email": email, "password": "correct horse"})
    assert response.status_code == 201, response.text
    api = Api(TestClient(client.app), response.json()["token"], email)
    if role != "candidate":
        assert stack is not None
        from app.accounts.models import Role
        from app.accounts.service import get_user_by_email, set_role

        with stack.database.session() as db:
            user = get_user_by_email(db, email)
            assert user is not None
            set_role(db, user.id, Role(role))
    return api


@pytest.fixture
def candidate(client: TestClient) -> Api:
    return signup(client)


@pytest.fixture
def interviewer(client: TestClient, stack: Stack) -> Api:
    return signup(client, "interviewer", stack)


@pytest.fixture
def admin(client: TestClient, stack: Stack) -> Api:
    return signup(client, "admin", stack)
