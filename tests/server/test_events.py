"""The event bus behind submission streams: replay once, then wake on the bus, on both stacks.

Events are stored here through the worker's own lifecycle functions (the code the grading worker
runs), so each test controls exactly when an event is committed and published.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from app.events.limits import StreamRegistry
from app.events.streams import parse_last_event_id
from app.main import create_app
from app.questions.models import QuestionVersion
from app.submissions import lifecycle
from app.submissions.models import State, Submission, SubmissionEvent

from .conftest import Api, signup
from .support import Stack, wait_until

VERDICT = {"status": "accepted", "message": "all tests pass", "tests": [], "timing": {}}


def _read_events(lines: Any) -> Iterator[dict[str, str]]:
    current: dict[str, str] = {}
    for line in lines:
        if not line:
            if "event" in current:
                yield current
            current = {}
            continue
        key, _, value = line.partition(":")
        current[key] = value.strip()


def running_submission(stack: Stack, email: str) -> lifecycle.Claim:
    """A submission row already claimed by a (pretend) worker: no broker message is sent."""
    from app.accounts.service import get_user_by_email

    with stack.database.session() as db:
        user = get_user_by_email(db, email)
        question = db.scalar(select(QuestionVersion).where(QuestionVersion.slug == "softmax"))
        assert user is not None and question is not None
        row = Submission(
            id=uuid.uuid4().hex, user_id=user.id, question_id=question.id, question_slug="softmax",
            question_version=question.version, framework="torch", mode="run", code="x = 1\n",
            state=State.RUNNING.value, queue="cpu", attempt=1,
        )  # fmt: skip
        db.add(row)
        db.flush()
        db.add(SubmissionEvent(submission_id=row.id, attempt=1, type="running", data={"type": "running"}))
        return lifecycle.Claim(row.id, 1, question, "torch", row.code, "run")


class Reader:
    """Reads one SSE stream on a thread; `events` grows as they arrive."""

    def __init__(self, api: Api, url: str, headers: dict[str, Any] | None = None) -> None:
        self.events: list[dict[str, str]] = []
        self.arrived: list[float] = []
        self.status: int | None = None
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(api, url, headers or {}), daemon=True)
        self._thread.start()

    def _run(self, api: Api, url: str, headers: dict[str, Any]) -> None:
        try:
            with api.client.stream("GET", url, headers=api.headers | headers) as response:
                self.status = response.status_code
                if response.status_code == 200:
                    for item in _read_events(response.iter_lines()):
                        self.events.append(item)
                        self.arrived.append(time.monotonic())
        finally:
            self.done.set()

    def wait_count(self, count: int, timeout_s: float = 20.0) -> None:
        wait_until(lambda: len(self.events) >= count or self.done.is_set(), timeout_s, f"{count} events")
        assert len(self.events) >= count, self.events

    def finish(self, timeout_s: float = 20.0) -> None:
        assert self.done.wait(timeout_s), "the stream did not end"


@pytest.fixture
def watcher(client: TestClient) -> Api:
    return signup(client)


def test_stream_replays_once_then_wakes_on_the_bus(stack: Stack, watcher: Api) -> None:
    claim = running_submission(stack, watcher.email)
    reads: list[str] = []

    def count_reads(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM submission_events" in statement:
            reads.append(statement)

    app: Any = watcher.client.app
    engine = app.state.database.engine  # the app's own engine
    event.listen(engine, "before_cursor_execute", count_reads)
    try:
        reader = Reader(watcher, f"/api/submissions/{claim.submission_id}/events")
        reader.wait_count(1)  # the replay: `running`
        time.sleep(1.5)  # a stream that polled would read the table again meanwhile
        assert len(reads) == 1, reads
        lifecycle.record_event(stack.database, claim, {"type": "test", "name": "shapes", "passed": True})
        reader.wait_count(2)
        stored_at = time.monotonic()
        assert lifecycle.finish(stack.database, claim.submission_id, claim.attempt, VERDICT)
        reader.finish()
    finally:
        event.remove(engine, "before_cursor_execute", count_reads)
    assert [e["event"] for e in reader.events] == ["running", "test", "verdict"]
    ids = [int(e["id"]) for e in reader.events]
    assert ids == sorted(set(ids))
    assert json.loads(reader.events[-1]["data"])["status"] == "accepted"
    assert reader.arrived[-1] - stored_at < 2.0  # the bench measures this precisely
    assert len(reads) == 1, "the stream read the database again after its replay"


def test_last_event_id_resumes_and_bad_values_are_ignored(stack: Stack, watcher: Api) -> None:
    claim = running_submission(stack, watcher.email)
    lifecycle.record_event(stack.database, claim, {"type": "test", "name": "a", "passed": True})
    assert lifecycle.finish(stack.database, claim.submission_id, claim.attempt, VERDICT)
    url = f"/api/submissions/{claim.submission_id}/events"
    full = Reader(watcher, url)
    full.finish()
    assert [e["event"] for e in full.events] == ["running", "test", "verdict"]

    resumed = Reader(watcher, url, {"Last-Event-ID": full.events[0]["id"]})
    resumed.finish()
    assert [e["event"] for e in resumed.events] == ["test", "verdict"]

    for bad in ("abc", "9" * 400, "-3", "99999999999999999999", "1e9", " ", "\uff11\uff12".encode()):
        reader = Reader(watcher, url, {"Last-Event-ID": bad})
        reader.finish()
        assert reader.status == 200, bad
        assert [e["event"] for e in reader.events] == ["running", "test", "verdict"], bad


def test_parse_last_event_id() -> None:
    assert parse_last_event_id("42") == 42
    assert parse_last_event_id(str(2**63 - 1)) == 2**63 - 1
    for bad in (None, "", "x", "-1", str(2**63), "9" * 10_000, "\u0663"):  # an Arabic-Indic 3
        assert parse_last_event_id(bad) == 0


def test_stream_caps_refuse_with_429_and_free_on_close(stack: Stack) -> None:
    settings = stack.settings.model_copy(update={"max_streams_per_account": 1})
    client = TestClient(create_app(settings))
    api = signup(client)
    first, second = running_submission(stack, api.email), running_submission(stack, api.email)
    holder = Reader(api, f"/api/submissions/{first.submission_id}/events")
    holder.wait_count(1)
    refused = api.get(f"/api/submissions/{second.submission_id}/events")
    assert refused.status_code == 429 and refused.json()["error"] == "too_many_requests"
    other = signup(client)  # another account is not affected
    mine = running_submission(stack, other.email)
    assert lifecycle.finish(stack.database, mine.submission_id, 1, VERDICT)
    assert api.client.get(f"/api/submissions/{mine.submission_id}/events", headers=other.headers).status_code == 200

    assert lifecycle.finish(stack.database, first.submission_id, 1, VERDICT)
    holder.finish()
    assert lifecycle.finish(stack.database, second.submission_id, 1, VERDICT)
    wait_until(lambda: api.get(f"/api/submissions/{second.submission_id}/events").status_code == 200, 5, "a free slot")


def test_registry_counts_each_owner_and_the_total(stack: Stack) -> None:
    settings = stack.settings.model_copy(
        update={"max_streams_per_account": 4, "max_streams_per_link": 2, "max_streams_total": 500}
    )
    registry = StreamRegistry(settings)
    # A hiring day: 125 accounts each watching 4 submissions fill the process's 500 exactly.
    leases = [registry.acquire("stream", f"account:{n}") for n in range(125) for _ in range(4)]
    assert registry.counts()["streams"] == 500
    with pytest.raises(Exception, match="live connections"):
        registry.acquire("socket", None)
    for lease in leases[:10]:
        lease.release()
        lease.release()  # idempotent
    assert registry.counts()["streams"] == 490
    links = [registry.acquire("socket", "link:7") for _ in range(2)]
    with pytest.raises(Exception, match="one link"):
        registry.acquire("stream", "link:7")
    assert registry.counts()["sockets"] == 2 and len(links) == 2


def test_health_and_metrics_report_the_live_layer(stack: Stack, client: TestClient, watcher: Api) -> None:
    claim = running_submission(stack, watcher.email)
    reader = Reader(watcher, f"/api/submissions/{claim.submission_id}/events")
    reader.wait_count(1)
    live = client.get("/api/health").json()["live"]
    assert live["streams"] >= 1 and live["bus"]["connected"] and live["bus"]["ok"]
    assert live["bus"]["kind"] == ("local" if stack.name == "sqlite" else "redis")
    metrics = client.get("/metrics").text
    assert "dojo_open_streams" in metrics and "dojo_bus_connected" in metrics
    assert lifecycle.finish(stack.database, claim.submission_id, 1, VERDICT)
    reader.finish()


def test_streams_opening_together_take_turns_for_the_database(stack: Stack) -> None:
    """Hundreds of streams opened at once must queue for replays, not drain the pool."""
    import anyio

    from app.events.streams import REPLAY_CONCURRENCY, follow
    from tests.support import run_async_in_fresh_thread

    running, peak, done = 0, 0, 0
    lock = threading.Lock()

    def replay(after_id: int) -> list[dict[str, Any]]:
        nonlocal running, peak, done
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)  # holds a connection, as a database read does
        with lock:
            running -= 1
            done += 1
        return []

    async def one(n: int) -> None:
        async for _ in follow(stack.settings, f"bench:{n}", 0, replay, max_s=0.05):
            pass

    async def many() -> None:
        async with anyio.create_task_group() as group:
            for n in range(60):
                group.start_soon(one, n)

    run_async_in_fresh_thread(many)
    assert done == 60
    assert 1 < peak <= REPLAY_CONCURRENCY


def test_a_stream_is_only_for_its_owner(stack: Stack, client: TestClient, watcher: Api) -> None:
    """Streams authorise inside the endpoint: no token, a bad token and a stranger are refused."""
    claim = running_submission(stack, watcher.email)
    url = f"/api/submissions/{claim.submission_id}/events"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert signup(client).get(url).status_code == 404
    assert client.get("/api/interviews/1/events").status_code == 401
