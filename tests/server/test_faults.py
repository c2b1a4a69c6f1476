"""Faults with real processes: a worker SIGKILLed mid-grade, a worker restart with work waiting,
and a Redis restart that loses every queued message. Each test builds its own stack so that no
other worker can take the job."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.core.database import Database
from app.main import create_app
from app.submissions.models import Submission, SubmissionEvent
from app.submissions.reaper import reap_once

from .conftest import Api, signup
from .support import (
    Stack,
    WorkerProcess,
    free_port,
    postgres_stack,
    running_worker,
    sqlite_stack,
    unavailable,
    wait_until,
)

pytestmark = pytest.mark.slow
STABLE = Path("questions/softmax/solutions/stable.torch.py").read_text()
SLOW = "import time\ntime.sleep(2)\n" + STABLE  # long enough to be killed while running


def _fresh_stack(kind: str, tmp_path: Path, **values: object) -> Stack:
    if kind == "sqlite":
        return sqlite_stack(tmp_path, **values)
    return postgres_stack(tmp_path, **values)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgres"])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stack]:
    stack = _fresh_stack(request.param, tmp_path)
    yield stack
    stack.close()


def _reaping(stack: Stack) -> Database:
    """The reaper as the API runs it, with deadlines short enough for a test (the running one
    must still exceed a whole grade, or the reaper would take back live work)."""
    settings = stack.settings.model_copy(update={"running_deadline_s": 10.0, "queued_deadline_s": 2.0})
    return Database(settings)


def _state(stack: Stack, submission_id: str) -> Submission:
    with stack.database.session() as db:
        row = db.get(Submission, submission_id)
        assert row is not None
        return row


def _verdict_count(stack: Stack, submission_id: str) -> int:
    with stack.database.session() as db:
        return int(db.scalar(select(func.count()).where(
            SubmissionEvent.submission_id == submission_id, SubmissionEvent.type == "verdict"
        )) or 0)  # fmt: skip


def _reap_until_done(stack: Stack, ids: list[str], timeout_s: float = 150.0) -> None:
    reaper_db = _reaping(stack)

    def all_done() -> bool:
        reap_once(reaper_db)
        return all(_state(stack, i).state == "done" for i in ids)

    try:
        wait_until(all_done, timeout_s, f"{len(ids)} verdicts", step_s=0.5)
    finally:
        reaper_db.dispose()


def test_worker_killed_mid_grade_gives_exactly_one_verdict(fresh: Stack, tmp_path: Path) -> None:
    api = signup(TestClient(create_app(fresh.settings)))
    first = WorkerProcess(fresh, "doomed", tmp_path).wait_ready()
    submission_id = api.submit(SLOW)
    wait_until(lambda: _state(fresh, submission_id).state == "running", 60, "the job to start")
    time.sleep(0.5)
    first.kill()  # SIGKILL: no shutdown, no ack, no cleanup
    assert _state(fresh, submission_id).state == "running"
    second = WorkerProcess(fresh, "rescuer", tmp_path).wait_ready()
    try:
        _reap_until_done(fresh, [submission_id])
    finally:
        second.stop()
    row = _state(fresh, submission_id)
    # attempt 2 normally; 3 if a slow machine made attempt 2 outlive the short test deadline.
    assert row.status == "accepted" and row.attempt >= 2 and row.worker == second.hostname
    assert _verdict_count(fresh, submission_id) == 1
    body = api.get(f"/api/submissions/{submission_id}").json()
    assert body["status"] == "accepted"


def test_work_waits_for_a_restarted_worker(fresh: Stack, tmp_path: Path) -> None:
    api = signup(TestClient(create_app(fresh.settings)))
    worker = WorkerProcess(fresh, "first", tmp_path).wait_ready()
    worker.stop()
    ids = [api.submit(STABLE) for _ in range(3)]  # accepted while no worker runs
    assert all(_state(fresh, i).state == "queued" for i in ids)
    restarted = WorkerProcess(fresh, "second", tmp_path).wait_ready()
    try:
        for submission_id in ids:
            assert api.wait_done(submission_id)["status"] == "accepted"
    finally:
        restarted.stop()
    assert all(_verdict_count(fresh, i) == 1 for i in ids)


@contextlib.contextmanager
def own_redis(tmp_path: Path) -> Iterator[tuple[str, Callable[[], None], Callable[[], None]]]:
    """A private redis-server without persistence: a restart loses every queued message."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed")
        return
    port = free_port()
    argv = [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)]
    procs: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        procs.append(subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from .support import redis_reachable

        wait_until(lambda: redis_reachable(f"redis://127.0.0.1:{port}/0"), 10, "redis-server")

    def stop() -> None:
        procs[-1].terminate()
        procs[-1].wait(10)

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", start, stop
    finally:
        if procs[-1].poll() is None:
            stop()


def test_redis_restart_loses_nothing_accepted(tmp_path: Path) -> None:
    with own_redis(tmp_path) as (redis_url, start_redis, stop_redis):
        stack = postgres_stack(tmp_path, redis_url=redis_url)
        api = signup(TestClient(create_app(stack.settings)))
        worker = WorkerProcess(stack, "survivor", tmp_path).wait_ready()
        try:
            before = api.submit(STABLE)
            assert api.wait_done(before)["status"] == "accepted"
            stop_redis()
            during = [api.submit(STABLE) for _ in range(2)]  # 202: the rows are the promise
            start_redis()
            _reap_until_done(stack, during)
            assert all(_state(stack, i).status == "accepted" for i in during)
            assert all(_verdict_count(stack, i) == 1 for i in [before, *during])
        finally:
            worker.stop()
            stack.close()


def test_sqlite_api_and_worker_share_one_data_dir(tmp_path: Path) -> None:
    """Accepted work outlives an API restart: a new app on the same data dir still reads it."""
    stack = sqlite_stack(tmp_path)
    api = signup(TestClient(create_app(stack.settings)))
    submission_id = api.submit(STABLE)
    restarted = Api(TestClient(create_app(stack.settings)), api.token, api.email)
    assert restarted.get(f"/api/submissions/{submission_id}").json()["state"] == "queued"
    with running_worker(stack, "late", tmp_path):
        assert restarted.wait_done(submission_id)["status"] == "accepted"
    stack.close()


@contextlib.contextmanager
def own_postgres(tmp_path: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """A private PostgreSQL cluster that the test may restart (never the machine's own)."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins or shutil.which("runuser") is None:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        return
    # Outside pytest's tmp dir, which the postgres user cannot enter.
    base = Path(tempfile.mkdtemp(prefix="dojo-test-pg-"))
    data = base / "data"
    data.mkdir()
    shutil.chown(base, "postgres")
    shutil.chown(data, "postgres")
    pg_ctl, port = str(bins[-1].parent / "pg_ctl"), free_port()

    def as_postgres(*argv: str) -> None:
        # No pipes: the server started by pg_ctl would hold them open and block this call.
        command = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)

    as_postgres(str(bins[-1]), "-D", str(data), "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = str(base / "server.log")
    as_postgres(pg_ctl, "-D", str(data), "-o", options, "-l", log, "-w", "start")

    def restart() -> None:
        as_postgres(pg_ctl, "-D", str(data), "-o", options, "-l", log, "-m", "fast", "-w", "restart")

    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", restart
    finally:
        as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def test_database_restart_loses_nothing_accepted(tmp_path: Path) -> None:
    with own_postgres(tmp_path) as (database_url, restart_postgres):
        stack = postgres_stack(tmp_path, database_url=database_url)
        api = signup(TestClient(create_app(stack.settings)))
        worker = WorkerProcess(stack, "steady", tmp_path).wait_ready()
        try:
            before = api.submit(STABLE)
            restart_postgres()  # connections in every process are cut
            after = [api.submit(STABLE) for _ in range(2)]
            _reap_until_done(stack, [before, *after])
            assert all(_state(stack, i).status == "accepted" for i in [before, *after])
            assert all(_verdict_count(stack, i) == 1 for i in [before, *after])
        finally:
            worker.stop()
            stack.close()


def test_open_stacks_never_share_a_redis_database() -> None:
    """A worker of one stack would otherwise take and drop another stack's queued tasks."""
    from .support import REDIS_SERVER, lease_redis_db, redis_reachable

    if not redis_reachable(f"{REDIS_SERVER}/0"):
        unavailable(f"Redis is not reachable at {REDIS_SERVER}")
    leases = [lease_redis_db() for _ in range(3)]
    try:
        assert len({url for url, _ in leases}) == 3
    finally:
        for _, release in leases:
            release()
