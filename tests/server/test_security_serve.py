"""The defences against a real `dojo serve` (uvicorn, its access log, real sockets)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.core.settings import REPO_ROOT

from .support import free_port, make_test_bank

pytestmark = pytest.mark.slow
PASSWORD = "correct horse"
ADMIN_TOKEN = "serve-admin-token-" + "q" * 32


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("serve-security")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJO_")}
    env |= {
        "DOJO_DATA_DIR": str(root / "data"),
        "DOJO_BANK_DIR": str(make_test_bank(root)),
        "DOJO_ADMIN_TOKEN": ADMIN_TOKEN,
        "DOJO_RATE_LOGIN_PER_ACCOUNT": "3/minute",
        "PYTHONPATH": str(REPO_ROOT),
    }
    log_path = root / "serve.log"
    with log_path.open("wb") as log:
        argv = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--no-worker"]
        proc = subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/api/health", timeout=2).status_code in (200, 503):
                        break
                except httpx.HTTPError:
                    time.sleep(0.25)
            else:
                pytest.fail(f"dojo serve did not answer:\n{log_path.read_text()[-3000:]}")
            yield url, log_path
        finally:
            proc.terminate()
            proc.wait(30)


def test_headers_limits_and_csrf_on_a_real_server(served: tuple[str, Path]) -> None:
    url, _log = served
    home = httpx.get(f"{url}/")
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
    assert home.headers["x-content-type-options"] == "nosniff"
    email = f"serve-{uuid.uuid4().hex[:6]}@example.com"
    created = httpx.post(f"{url}/api/auth/signup", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201
    for _ in range(3):
        assert httpx.post(f"{url}/api/auth/login", json={"email": email, "password": "wrong-pass"}).status_code == 401
    refused = httpx.post(f"{url}/api/auth/login", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    cookies = created.cookies
    forged = httpx.post(
        f"{url}/api/submissions",
        json={"question": "softmax", "framework": "torch", "code": "x = 1\n"},
        cookies=cookies,
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 403 and forged.json()["error"] == "csrf_failed"
    # Without a trusted proxy configured, X-Forwarded-Proto from a client is ignored.
    spoofed = httpx.get(f"{url}/", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in spoofed.headers


def test_the_link_token_never_reaches_the_access_log(served: tuple[str, Path]) -> None:
    url, log_path = served
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    made = httpx.post(
        f"{url}/api/interviews",
        json={"questions": ["softmax"], "framework": "torch", "duration_min": 30},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    token = made.json()["candidate_token"]
    with httpx.Client(base_url=url) as browser:
        opened = browser.get(f"/interview/{token}")
        assert opened.status_code == 303 and opened.headers["location"] == "/interview"
        page = browser.get("/interview")
        assert page.status_code == 200 and token not in page.text
    assert httpx.get(f"{url}/api/interview/{token}").status_code == 200
    time.sleep(0.5)  # let uvicorn flush its access lines
    log = log_path.read_text(errors="replace")
    assert '"GET /interview/[link] HTTP/1.1" 303' in log and "/api/interview/[link]" in log
    assert token not in log
