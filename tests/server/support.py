"""Test stacks: SQLite + the embedded broker, or PostgreSQL + Redis, plus real worker processes.

A service the tests need but cannot reach makes those tests skip with the reason, except when
CI=true: then they fail, so a green CI run always means the services were really exercised.
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.core.database import Database
from app.core.migrate import upgrade
from app.core.settings import REPO_ROOT, Settings
from app.questions.bank_sync import sync_bank
from app.submissions.models import WorkerHeartbeat
from tests.support import with_followups

CI = os.environ.get("CI", "").lower() == "true"
PG_SERVER = os.environ.get("DOJO_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("DOJO_TEST_REDIS", "redis://127.0.0.1:6379")
SECRET = "test-secret-key-0123456789abcdef"


def unavailable(reason: str) -> None:
    if CI:
        pytest.fail(f"{reason} (CI=true: the tests need this service)")
    pytest.skip(reason)


def sandbox_is_usable() -> bool:
    from workers.grading.sandbox import sandbox_self_check

    return not sandbox_self_check()


@dataclass
class Stack:
    name: str
    settings: Settings
    database: Database
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def env(self, **overrides: Any) -> dict[str, str]:
        """The environment that gives a subprocess these settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOJO_")}
        values = self.settings.model_dump()
        values.update(overrides)
        for key, value in values.items():
            if value is None:
                continue
            if hasattr(value, "get_secret_value"):
                value = value.get_secret_value()
            env[f"DOJO_{key.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
        env["PYTHONPATH"] = str(REPO_ROOT)
        return env

    def close(self) -> None:
        self.database.dispose()
        for cleanup in reversed(self.cleanups):
            with contextlib.suppress(Exception):
                cleanup()


TEST_BANK_QUESTIONS = ("softmax", "concept-jit-python-if")


def make_test_bank(root: Path) -> Path:
    """A copy of a few questions from the repository's bank, so tests do not depend on the
    rest of it (questions come and go there)."""
    bank = root / "bank"
    for slug in with_followups(TEST_BANK_QUESTIONS, REPO_ROOT / "questions"):
        shutil.copytree(REPO_ROOT / "questions" / slug, bank / slug, ignore=shutil.ignore_patterns("__pycache__"))
    return bank


def make_settings(**values: Any) -> Settings:
    base: dict[str, Any] = {
        "env": "test",
        "secret_key": SECRET,
        "cookie_secure": False,
        "reaper_enabled": False,
        "unsafe_no_sandbox": not sandbox_is_usable(),
        "runner_pool_size": 1,
        # The suites sign up and log in hundreds of accounts from one test address; the rate
        # limits have their own tests (test_security_limits.py), which turn them on.
        "rate_limits": False,
    }
    return Settings(**(base | values))


def _prepare(stack: Stack) -> Stack:
    upgrade(stack.settings)
    with stack.database.session() as db:
        sync_bank(db, stack.settings.bank_dir)
    return stack


def sqlite_stack(data_dir: Path, **values: Any) -> Stack:
    values.setdefault("bank_dir", make_test_bank(data_dir))
    settings = make_settings(data_dir=data_dir, **values)
    return _prepare(Stack("sqlite", settings, Database(settings)))


def _tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def create_pg_database() -> tuple[str, Callable[[], None]]:
    """A fresh database on the PostgreSQL server, dropped again by the returned cleanup."""
    import psycopg

    plain = PG_SERVER.replace("postgresql+psycopg://", "postgresql://")
    name = f"dojo_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(f"{plain}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL is not reachable at {PG_SERVER}: {exc}")

    def drop() -> None:
        with psycopg.connect(f"{plain}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_SERVER}/{name}", drop


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _nothing() -> None:
    return None


def postgres_stack(
    data_dir: Path, redis_url: str | None = None, database_url: str | None = None, **values: Any
) -> Stack:
    """PostgreSQL + Redis: a fresh database on the server (or `database_url`), a Redis db."""
    release: Callable[[], None] = _nothing
    if redis_url is None:
        if not redis_reachable(f"{REDIS_SERVER}/0"):
            unavailable(f"Redis is not reachable at {REDIS_SERVER}")
        redis_url, release = lease_redis_db()
    if not redis_reachable(redis_url):
        unavailable(f"Redis is not reachable at {redis_url}")
    url, drop = (database_url, lambda: None) if database_url else create_pg_database()
    values.setdefault("bank_dir", make_test_bank(data_dir))
    settings = make_settings(data_dir=data_dir, database_url=url, broker_url=redis_url, **values)
    stack = Stack("postgres", settings, Database(settings))
    stack.cleanups += [drop, release]
    _purge_redis_queues(redis_url)
    return _prepare(stack)


_LEASE_KEY = "dojo-test:redis-db-lease:{}"


def lease_redis_db(timeout_s: float = 60.0) -> tuple[str, Callable[[], None]]:
    """A Redis database (1-15) that no other live stack uses, and the call that frees it.

    Stacks must never share a database: a worker of one (the session-wide stack's, say) would
    take another's queued tasks, find no such submission in its own database and drop them.
    A lease names its holder's pid, so one left behind by a killed test run is taken over.
    """
    import redis

    lessor = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    holder = f"{os.getpid()}:{uuid.uuid4().hex}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for db in range(1, 16):
            key = _LEASE_KEY.format(db)
            if lessor.set(key, holder, nx=True, ex=6 * 3600) or _take_over_stale(lessor, key, holder):

                def release(key: str = key) -> None:
                    if lessor.get(key) == holder.encode():
                        lessor.delete(key)

                redis.Redis.from_url(f"{REDIS_SERVER}/{db}").flushdb()  # what a past holder left
                return f"{REDIS_SERVER}/{db}", release
        time.sleep(0.5)
    raise AssertionError(f"no free Redis database after {timeout_s} s: 15 test stacks are open")


def _take_over_stale(lessor: Any, key: str, holder: str) -> bool:
    current = lessor.get(key)
    if current is None:
        return False
    pid = int(current.decode().split(":", 1)[0])
    try:
        os.kill(pid, 0)
        return False  # its holder still runs
    except ProcessLookupError:
        return bool(lessor.set(key, holder, xx=True, ex=6 * 3600))
    except PermissionError:
        return False


def _purge_redis_queues(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.delete("cpu", "gpu", "unacked", "unacked_index")


class WorkerProcess:
    """A real `dojo worker` (Celery, prefork pool) in its own process group."""

    def __init__(self, stack: Stack, name: str, log_dir: Path, **overrides: Any) -> None:
        self.stack = stack
        self.hostname = f"{name}-{uuid.uuid4().hex[:6]}@test"
        self.log_path = log_dir / f"{self.hostname.split('@')[0]}.log"
        argv = [
            sys.executable,
            "-m",
            "app.cli",
            "worker",
            "--queues=cpu,gpu",
            f"--hostname={self.hostname}",
        ]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                argv,
                cwd=REPO_ROOT,
                env=stack.env(**overrides),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout_s: float = 90.0) -> WorkerProcess:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log()}")
            with self.stack.database.session() as db:
                seen = db.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.hostname == self.hostname))
            if seen is not None:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"worker did not start in {timeout_s} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children) at once."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM to the main process, as an operator would), then a sweep."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(20)
        self.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_worker(stack: Stack, name: str, log_dir: Path, **overrides: Any) -> Iterator[WorkerProcess]:
    worker = WorkerProcess(stack, name, log_dir, **overrides)
    try:
        yield worker.wait_ready()
    finally:
        worker.stop()


def wait_until(predicate: Callable[[], Any], timeout_s: float, what: str, step_s: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step_s)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
