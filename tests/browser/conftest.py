"""End-to-end fixtures: a real `dojo serve` (API, pages and a grading worker) and Debian's
Chromium driven by Playwright.

Without /usr/bin/chromium the tests skip with the reason, except under CI=true, where they fail.
Set DOJO_SCREENSHOTS=1 to refresh docs/screenshots/ from the same runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import missing, with_followups

from .flows import LAPTOP, PASSWORD, REPO_ROOT, Watched

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ADMIN_TOKEN = "browser-test-admin-token-0123456789"
# A small bank: the coding question the flows use, one with tables and maths, one concept card.
BANK_QUESTIONS = ("softmax", "linear-regression", "concept-prng-key-reuse")
SERVER_START_S = 120.0
TAKE_HOME_MINUTE_S = 1.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sandbox_usable() -> bool:
    from workers.grading.sandbox import sandbox_self_check

    return not sandbox_self_check()


def _make_bank(root: Path) -> Path:
    """The questions the server loads: a small fixed set, or for screenshots every valid one."""
    from workers.grading.bank import load_question
    from workers.grading.spec import QuestionFormatError

    bank = root / "bank"
    slugs: list[str] = list(BANK_QUESTIONS)
    if os.environ.get("DOJO_SCREENSHOTS") == "1":
        slugs = []
        for folder in sorted((REPO_ROOT / "questions").iterdir()):
            try:
                if folder.is_dir() and not folder.name.startswith(("_", ".")):
                    slugs.append(load_question(folder).slug)
            except QuestionFormatError:
                continue  # a folder being written right now; the pictures do without it
    for slug in with_followups(slugs, REPO_ROOT / "questions"):
        shutil.copytree(
            REPO_ROOT / "questions" / slug,
            bank / slug,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    return bank


class Server:
    def __init__(self, root: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = root / "serve.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOJO_")}
        env.update(
            DOJO_ENV="test",
            DOJO_DATA_DIR=str(root / "data"),
            DOJO_BANK_DIR=str(_make_bank(root)),
            DOJO_SECRET_KEY="browser-test-secret-key-0123456789",
            DOJO_ADMIN_TOKEN=ADMIN_TOKEN,
            DOJO_COOKIE_SECURE="false",
            # A take-home minute lasts a second here, so a deadline passes within a test.
            DOJO_TAKE_HOME_MINUTE_S=str(TAKE_HOME_MINUTE_S),
            PYTHONPATH=str(REPO_ROOT),
        )
        if not _sandbox_usable():
            if os.environ.get("CI") == "true":
                pytest.fail("required in CI: a working sandbox (bubblewrap) for grading")
            # Grading still runs, without isolation, so the flows can be checked on this machine.
            env["DOJO_UNSAFE_NO_SANDBOX"] = "true"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self) -> Server:
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"dojo serve exited early:\n{self.log_tail()}")
            try:
                # Ready once the API answers and the embedded worker has reported in.
                response = httpx.get(f"{self.url}/api/health", timeout=2)
                if response.status_code == 200 and response.json().get("workers"):
                    return self
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.25)
        pytest.fail(f"dojo serve did not answer in {SERVER_START_S:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def create_user(self, role: str) -> str:
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        response = httpx.post(
            f"{self.url}/api/admin/users",
            json={"email": email, "password": PASSWORD, "role": role},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return email

    def stop(self) -> None:
        group = self.process.pid  # the serve process leads its group; the worker is in it too
        if self.process.poll() is None:
            os.killpg(group, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                pass
        # Sweep whatever is left of the group (a worker still finishing, its pool children).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
        self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing("Debian's chromium is missing at /usr/bin/chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = Server(tmp_path_factory.mktemp("dojo-serve"))
    try:
        yield started.wait_ready()
    finally:
        started.stop()


@pytest.fixture
def new_page(browser: Any, server: Server) -> Iterator[Any]:
    """Factory: `new_page(viewport=..., javascript=True)` gives a fresh context's Watched page."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None, javascript: bool = True) -> Watched:
        context = browser.new_context(viewport=viewport or LAPTOP, java_script_enabled=javascript, base_url=server.url)
        contexts.append(context)
        return Watched(context, server)

    yield make
    for context in contexts:
        context.close()


SCREENSHOT_DIR = REPO_ROOT / "docs" / "screenshots"


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: docs/screenshots/ with DOJO_SCREENSHOTS=1, else a temp folder."""
    if os.environ.get("DOJO_SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        return SCREENSHOT_DIR
    return tmp_path_factory.mktemp("screenshots")
