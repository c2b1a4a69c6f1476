"""Shared by the server benchmarks: a stack (database + broker), a worker, the API on a port."""

from __future__ import annotations

import contextlib
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn

# The scripts run as `python bench/<script>.py`; they share the test suite's stack builders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.main import create_app
from tests.server.support import (
    PG_SERVER,
    REDIS_SERVER,
    Stack,
    WorkerProcess,
    free_port,
    postgres_stack,
    redis_reachable,
    sqlite_stack,
)

BACKENDS = {"embedded": "SQLite + SQLAlchemy transport", "redis": "PostgreSQL + Redis"}


def backend_available(name: str) -> str | None:
    """None when the backend can run here, else why not."""
    if name == "redis" and not redis_reachable(f"{REDIS_SERVER}/0"):
        return f"Redis is not reachable at {REDIS_SERVER}"
    if name == "redis":
        try:
            import psycopg

            plain = PG_SERVER.replace("postgresql+psycopg://", "postgresql://")
            psycopg.connect(f"{plain}/postgres", connect_timeout=2).close()
        except Exception as exc:
            return f"PostgreSQL is not reachable: {exc}"
    return None


@contextlib.contextmanager
def stack_with_worker(name: str, **values: Any) -> Iterator[tuple[Stack, WorkerProcess, Path]]:
    tmp = Path(tempfile.mkdtemp(prefix=f"dojo-bench-{name}-"))
    stack = sqlite_stack(tmp, **values) if name == "embedded" else postgres_stack(tmp, **values)
    worker = WorkerProcess(stack, f"bench-{name}", tmp).wait_ready()
    try:
        yield stack, worker, tmp
    finally:
        worker.stop()
        stack.close()


@contextlib.contextmanager
def api_server(stack: Stack) -> Iterator[str]:
    """The real app under uvicorn, in a thread of this process."""
    port = free_port()
    config = uvicorn.Config(create_app(stack.settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(10)


def signed_up(base: str) -> dict[str, str]:
    email = f"bench-{time.monotonic_ns()}@example.com"
    token = httpx.post(f"{base}/api/auth/signup", json={"email": email, "password": "benchmark"}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]
