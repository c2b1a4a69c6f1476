"""Rate limits (login, signup, submissions, candidate links) and argon2 off the event loop."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.core import security
from app.core.ratelimit import RateLimiter
from app.core.settings import Settings
from app.main import create_app
from tests.support import run_async_in_fresh_thread

from .support import Stack, make_settings, postgres_stack, sqlite_stack

PASSWORD = "correct horse"
LIMITS = {
    "rate_limits": True,
    "rate_login_per_account": "3/minute",
    "rate_login_per_address": "8/minute",
    "rate_signup_per_address": "4/hour",
    "rate_submissions_per_hour": 2,
    "rate_link_per_token": "5/minute",
}


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    built = sqlite_stack(tmp_path_factory.mktemp("limited"), **LIMITS)
    yield built
    built.close()


@pytest.fixture
def app(limited: Stack) -> FastAPI:
    """A fresh app per test: its memory counters start empty."""
    return create_app(limited.settings)


def _signup(app: FastAPI, address: str = "10.0.0.1") -> tuple[str, str]:
    email = f"rl-{uuid.uuid4().hex[:8]}@example.com"
    client = TestClient(app, client=(address, 5000))
    response = client.post("/api/auth/signup", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return email, response.json()["token"]


def _refused(response: Any) -> int:
    assert response.status_code == 429, response.text
    assert response.json()["error"] == "too_many_requests"
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 3600
    return retry_after


def test_login_is_limited_per_account(app: FastAPI) -> None:
    email, _token = _signup(app)
    attacker = TestClient(app, client=("10.0.0.2", 5000))
    for _ in range(3):
        assert attacker.post("/api/auth/login", json={"email": email, "password": "wrong-pass"}).status_code == 401
    refused = attacker.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert _refused(refused) <= 60 and "this account" in refused.json()["message"]
    # The account is locked for every address, the owner included, until the window passes.
    owner = TestClient(app, client=("10.0.0.3", 5000))
    assert owner.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 429
    other, _ = _signup(app, "10.0.0.4")
    assert owner.post("/api/auth/login", json={"email": other, "password": PASSWORD}).status_code == 200


def test_login_is_limited_per_address(app: FastAPI) -> None:
    spray = TestClient(app, client=("10.0.1.1", 5000))
    for i in range(8):
        wrong = spray.post("/api/auth/login", json={"email": f"nobody{i}@example.com", "password": "wrong-pass"})
        assert wrong.status_code == 401
    refused = spray.post("/api/auth/login", json={"email": "nobody9@example.com", "password": "wrong-pass"})
    assert "your address" in refused.json()["message"]
    _refused(refused)
    elsewhere = TestClient(app, client=("10.0.1.2", 5000))
    wrong = {"email": "x@example.com", "password": "wrong-pass"}
    assert elsewhere.post("/api/auth/login", json=wrong).status_code == 401


def test_signup_is_limited_per_address(app: FastAPI) -> None:
    for _ in range(4):
        _signup(app, "10.0.2.1")
    flood = TestClient(app, client=("10.0.2.1", 5000))
    _refused(flood.post("/api/auth/signup", json={"email": "one-more@example.com", "password": PASSWORD}))
    _signup(app, "10.0.2.2")


def test_submissions_are_limited_per_account_per_hour(app: FastAPI) -> None:
    _email, token = _signup(app)
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    body = {"question": "softmax", "framework": "torch", "code": "def softmax(x, dim):\n    return x\n", "mode": "run"}
    for _ in range(2):
        assert client.post("/api/submissions", json=body).status_code == 202
    refused = client.post("/api/submissions", json=body)
    assert _refused(refused) > 60 and "in an hour" in refused.json()["message"]
    _other, other_token = _signup(app)
    other = TestClient(app, headers={"Authorization": f"Bearer {other_token}"})
    assert other.post("/api/submissions", json=body).status_code == 202


def test_candidate_link_requests_are_limited_per_token(app: FastAPI, limited: Stack) -> None:
    from app.accounts.models import Role
    from app.accounts.service import get_user_by_email, set_role

    email, token = _signup(app)
    with limited.database.session() as db:
        user = get_user_by_email(db, email)
        assert user is not None
        set_role(db, user.id, Role.INTERVIEWER)
    interviewer = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    session = {"questions": ["softmax"], "framework": "torch", "duration_min": 30}
    made = interviewer.post("/api/interviews", json=session)
    link = made.json()["candidate_token"]
    anonymous = TestClient(app, follow_redirects=False)
    assert anonymous.get(f"/interview/{link}").status_code == 303  # the exchange counts too
    for _ in range(4):
        assert anonymous.get(f"/api/interview/{link}").status_code == 200
    _refused(anonymous.get(f"/api/interview/{link}"))
    page = anonymous.get("/interview")  # by cookie: the same link, the same counter
    assert page.status_code == 429 and int(page.headers["retry-after"]) >= 1
    assert "Too many requests" in page.text and "Too many requests with this interview link: try again in" in page.text


def test_disabled_limits_count_nothing(tmp_path: Path) -> None:
    limiter = RateLimiter(make_settings(data_dir=tmp_path, rate_limits=False, rate_login_per_account="1/hour"))
    for _ in range(5):
        limiter.hit("login_account", "someone@example.com")


def test_redis_storage_is_shared_between_processes(tmp_path: Path) -> None:
    """Two API processes on one Redis see the same counters (here: two limiters)."""
    stack = postgres_stack(tmp_path, rate_limits=True, rate_login_per_account="2/minute")
    try:
        assert stack.settings.rate_limit_storage == stack.settings.broker_url
        first, second = RateLimiter(stack.settings), RateLimiter(stack.settings)
        first.reset()
        account = f"shared-{uuid.uuid4().hex[:6]}@example.com"
        first.hit("login_account", account)
        second.hit("login_account", account)
        with pytest.raises(Exception, match="too many login attempts") as refused:
            first.hit("login_account", account)
        assert getattr(refused.value, "retry_after_s", 0) >= 1
    finally:
        stack.close()


def test_an_unreachable_counter_store_refuses_with_a_clear_503(limited: Stack) -> None:
    """Redis down: the limited endpoints answer 503 with Retry-After, never a 500 and never
    unlimited; the endpoints without a limit still work."""
    # Nothing listens on port 1.
    settings = limited.settings.model_copy(update={"rate_limit_storage": "redis://127.0.0.1:1/0"})
    client = TestClient(create_app(settings), client=("10.0.0.9", 5000))
    response = client.post("/api/auth/signup", json={"email": "down@example.com", "password": PASSWORD})
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "service_unavailable"
    assert "counter store is unreachable" in response.json()["message"]
    assert response.headers["retry-after"] == "5"
    login = client.post("/api/auth/login", json={"email": "down@example.com", "password": PASSWORD})
    assert login.status_code == 503, login.text
    assert client.get("/api/questions").status_code == 200


def test_rate_limit_settings(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="DOJO_RATE_LIMITS=off is refused"):
        Settings(env="production", secret_key="x" * 32, data_dir=tmp_path, rate_limits=False)
    with pytest.raises(ValidationError, match="not a rate limit"):
        Settings(data_dir=tmp_path, rate_login_per_account="often")
    assert Settings(data_dir=tmp_path).rate_limit_storage == "memory://"
    redis = Settings(data_dir=tmp_path, broker_url="redis://redis:6379/0")
    assert redis.rate_limit_storage == "redis://redis:6379/0"


def test_password_hashing_never_blocks_the_event_loop(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """While logins hash, the loop keeps answering: a ticker coroutine is never held up by them."""
    real_verify = security.verify_password

    def slow_verify(password: str, password_hash: str | None) -> bool:
        time.sleep(1.0)  # a slow argon2, blocking whatever thread runs it
        return real_verify(password, password_hash)

    monkeypatch.setattr("app.core.passwords.verify_password", slow_verify)
    email, _ = _signup(app)

    async def scenario() -> tuple[float, list[int]]:
        transport = httpx.ASGITransport(app=app, client=("10.0.3.1", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            gaps: list[float] = []
            stop = asyncio.Event()

            async def ticker() -> None:
                last = time.monotonic()
                while not stop.is_set():
                    await asyncio.sleep(0.01)
                    now = time.monotonic()
                    gaps.append(now - last)
                    last = now

            tick = asyncio.create_task(ticker())
            logins = [client.post("/api/auth/login", json={"email": email, "password": PASSWORD}) for _ in range(3)]
            responses = await asyncio.gather(*logins)
            stop.set()
            await tick
            return max(gaps), [r.status_code for r in responses]

    longest_gap, statuses = run_async_in_fresh_thread(scenario)
    assert statuses == [200, 200, 200]
    # Three 1 s verifications ran (two at a time on the bounded pool); on the loop they would
    # have stalled it for 1 s each. 0.5 s leaves room for a busy machine's scheduling noise.
    assert longest_gap < 0.5, f"the event loop stalled for {longest_gap:.3f} s"


def test_login_routes_are_async_and_hash_on_the_bounded_pool(app: FastAPI) -> None:
    import inspect

    from app.accounts import routes as api
    from app.pages import routes as pages

    for endpoint in (api.login, api.signup, pages.login, pages.signup):
        assert inspect.iscoroutinefunction(endpoint), f"{endpoint.__qualname__} would hash on a server thread"
    assert app.state.passwords.workers == 2  # DOJO_PASSWORD_HASH_WORKERS: 2 x 64 MiB at most
