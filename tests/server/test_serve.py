"""`dojo serve` from nothing: migrations, the bank, the API and a worker on the embedded default."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from app.core.settings import REPO_ROOT

from .support import free_port, make_test_bank, sandbox_is_usable, wait_until

pytestmark = pytest.mark.slow
STABLE = (REPO_ROOT / "questions/softmax/solutions/stable.torch.py").read_text()


def _serve(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJO_")}
    env |= {
        "DOJO_DATA_DIR": str(tmp_path / "data"),
        "DOJO_BANK_DIR": str(make_test_bank(tmp_path)),
        "DOJO_UNSAFE_NO_SANDBOX": "false" if sandbox_is_usable() else "true",
        "PYTHONPATH": str(REPO_ROOT),
    }
    argv = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    return subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _url_from(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        match = re.search(r"running at (http://\S+)", line)
        if match:
            # Keep reading, or a full pipe would block the server's logging.
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return match.group(1).rstrip("/")
        if not line and proc.poll() is not None:
            break
    raise AssertionError("dojo serve printed no URL")


def _worker_pids(serve_pid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid=,args="], capture_output=True, text=True).stdout
    return [int(p) for p, pp, *args in (line.split(None, 2) for line in out.splitlines())
            if int(pp) == serve_pid and "worker" in " ".join(args)]  # fmt: skip


def test_serve_grades_end_to_end(tmp_path: Path) -> None:
    port = free_port()
    proc = _serve(tmp_path, port)
    try:
        base = _url_from(proc)
        assert base == f"http://127.0.0.1:{port}"
        http = httpx.Client(base_url=base, timeout=10)
        wait_until(lambda: _healthy(http), 90, "the API and its worker")
        assert http.get("/docs").status_code == 200
        token = http.post("/api/auth/signup", json={"email": "new@x.io", "password": "newcomer1"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        body = {"question": "softmax", "framework": "torch", "code": STABLE, "mode": "run"}
        accepted = http.post("/api/submissions", json=body, headers=headers)
        assert accepted.status_code == 202 and accepted.json()["status"] == "queued"
        url = f"/api/submissions/{accepted.json()['id']}"
        done = wait_until(lambda: _done(http, url, headers), 120, "the verdict")
        assert done["status"] == "accepted"
        assert (tmp_path / "data" / "dojo.sqlite3").exists() and (tmp_path / "data" / "broker.sqlite3").exists()
        workers = _worker_pids(proc.pid)
        assert workers
    finally:
        proc.send_signal(signal.SIGKILL)  # even a hard kill of serve must not orphan its worker
        proc.wait(10)
    wait_until(lambda: not any(_alive(pid) for pid in workers), 30, "the worker to exit")


def _healthy(http: httpx.Client) -> bool:
    try:
        body = http.get("/api/health").json()
    except httpx.HTTPError:
        return False
    return bool(body.get("status") == "ok")


def _done(http: httpx.Client, url: str, headers: dict[str, str]) -> dict[str, object] | None:
    body = http.get(url, headers=headers).json()
    return body if body["state"] == "done" else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()
