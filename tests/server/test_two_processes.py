"""Two real API processes (uvicorn) on one database share the bus: an event published through
one reaches a stream opened on the other, and one interview room spans both. Runs on the
embedded stack (local sockets) and on PostgreSQL + Redis (pub/sub)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from app.accounts.models import Role
from app.accounts.service import get_user_by_email, set_role
from app.core.settings import REPO_ROOT
from app.submissions import lifecycle

from .support import Stack, free_port, wait_until
from .test_events import VERDICT, running_submission

pytestmark = pytest.mark.slow
NEW = {"questions": ["softmax"], "framework": "torch", "duration_min": 45, "title": "Two processes"}


class ApiProcess:
    def __init__(self, stack: Stack, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(self.port)]
        with open(log_path, "wb") as log:
            self.proc = subprocess.Popen(argv, cwd=REPO_ROOT, env=stack.env(), stdout=log, stderr=subprocess.STDOUT)
        self.log_path = log_path

    def wait_ready(self) -> ApiProcess:
        def up() -> bool:
            assert self.proc.poll() is None, self.log_path.read_text()
            with contextlib.suppress(httpx.HTTPError):
                return httpx.get(f"{self.url}/api/health", timeout=2).json()["live"]["bus"]["connected"] is True
            return False

        wait_until(up, 60, f"the API on port {self.port}", 0.2)
        return self

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def two_apis(stack: Stack, tmp_path: Path) -> Iterator[tuple[ApiProcess, ApiProcess]]:
    first, second = ApiProcess(stack, tmp_path / "a.log"), ApiProcess(stack, tmp_path / "b.log")
    try:
        yield first.wait_ready(), second.wait_ready()
    finally:
        first.stop()
        second.stop()


def _interviewer(stack: Stack, url: str) -> dict[str, str]:
    email = f"two-{uuid.uuid4().hex[:10]}@example.com"
    response = httpx.post(f"{url}/api/auth/signup", json={"email": email, "password": "correct horse"})
    assert response.status_code == 201, response.text
    with stack.database.session() as db:
        user = get_user_by_email(db, email)
        assert user is not None
        set_role(db, user.id, Role.INTERVIEWER)
    return {"Authorization": f"Bearer {response.json()['token']}", "X-Email": email}


class StreamReader:
    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.messages: list[dict[str, Any]] = []
        self._thread = threading.Thread(target=self._run, args=(url, headers), daemon=True)
        self._thread.start()

    def _run(self, url: str, headers: dict[str, str]) -> None:
        with contextlib.suppress(httpx.HTTPError), httpx.stream("GET", url, headers=headers, timeout=60) as response:
            event: dict[str, Any] = {}
            for line in response.iter_lines():
                if line.startswith(("event:", "data:", "id:")):
                    key, _, value = line.partition(":")
                    event[key] = value.strip()
                elif not line and "event" in event:
                    self.messages.append(event)
                    event = {}

    def wait_for(self, kind: str, timeout_s: float = 20.0) -> dict[str, Any]:
        found = wait_until(
            lambda: next((m for m in self.messages if m["event"] == kind), None), timeout_s, f"a {kind} event"
        )
        return dict(found)


def test_an_event_through_one_process_reaches_a_stream_on_the_other(
    stack: Stack, two_apis: tuple[ApiProcess, ApiProcess]
) -> None:
    first, second = two_apis
    headers = _interviewer(stack, first.url)
    created = httpx.post(f"{first.url}/api/interviews", json=NEW, headers=headers).json()
    session_id, token = created["id"], created["candidate_token"]

    timeline = StreamReader(f"{second.url}/api/interviews/{session_id}/events", headers)
    timeline.wait_for("created")
    draft = {"question": "softmax", "code": "def softmax(x):\n    return x.exp()\n"}
    assert httpx.put(f"{first.url}/api/interview/{token}/draft", json=draft).status_code == 204
    seen = json.loads(timeline.wait_for("draft")["data"])
    assert seen["data"]["code"] == draft["code"]

    # A verdict stored by a third process (as the grading worker does) reaches a stream on each.
    claim = running_submission(stack, headers["X-Email"])
    streams = [
        StreamReader(f"{server.url}/api/submissions/{claim.submission_id}/events", headers)
        for server in (first, second)
    ]
    for stream in streams:
        stream.wait_for("running")
    assert lifecycle.finish(stack.database, claim.submission_id, claim.attempt, VERDICT)
    for stream in streams:
        assert json.loads(stream.wait_for("verdict")["data"])["status"] == "accepted"


def test_one_room_spans_both_processes(stack: Stack, two_apis: tuple[ApiProcess, ApiProcess]) -> None:
    first, second = two_apis
    headers = _interviewer(stack, first.url)
    created = httpx.post(f"{first.url}/api/interviews", json=NEW, headers=headers).json()
    session_id, token = created["id"], created["candidate_token"]
    watch_url = f"ws://127.0.0.1:{second.port}/api/interviews/{session_id}/room"
    typing_url = f"ws://127.0.0.1:{first.port}/api/interview/{token}/room"
    bearer = {"Authorization": headers["Authorization"]}
    with connect(watch_url, additional_headers=bearer, open_timeout=10) as watcher, connect(typing_url) as typist:
        assert json.loads(watcher.recv(timeout=10))["type"] == "join"
        typist.send(json.dumps({"type": "code", "question": "softmax", "code": "import jax\n"}))
        message = json.loads(watcher.recv(timeout=10))
        assert message == message | {"type": "code", "role": "candidate", "code": "import jax\n"}
        # The interviewer's process reports the socket, the candidate's process its own.
        assert httpx.get(f"{second.url}/api/health").json()["live"]["sockets"] == 1
        assert httpx.get(f"{first.url}/api/health").json()["live"]["sockets"] == 1
