"""The warm runner pool with real sandboxed torch runners: warm serving, a runner that died
while waiting, no new starts while a grade is timing, and refills started side by side."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from tests.support import require_bwrap
from workers.grading.client import RunnerClient
from workers.grading.pool import PoolKey, RunnerPool
from workers.grading.runners import CASES_FRAMEWORK, Hardware

HARDWARE = Hardware()
KEY = PoolKey("torch", HARDWARE.limits(memory_limit_mb=1024, output_limit_kb=16))


@pytest.fixture
def pool() -> Iterator[RunnerPool]:
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    runners = RunnerPool(BwrapLauncher(), HARDWARE, [KEY], size=1)
    assert runners.wait_until_full(120), runners.stats()
    yield runners
    runners.close()


def test_a_warm_runner_is_served_once_and_replaced(pool: RunnerPool) -> None:
    client = pool.get(KEY, "submission")
    assert client.info.get("framework") == "torch"  # started and ready before it was asked for
    assert pool.stats()["served_warm"] == 1
    client.close()
    assert pool.wait_until_full(120)
    other = pool.get(KEY, "submission")
    assert other is not client
    other.close()
    assert pool.stats()["served_warm"] == 2


def test_a_runner_that_died_while_waiting_is_not_served(pool: RunnerPool) -> None:
    waiting = pool._ready[KEY][0]
    os.killpg(waiting.process.pid, signal.SIGKILL)
    time.sleep(0.2)
    client = pool.get(KEY, "submission")
    try:
        assert client is not waiting
        stats = pool.stats()
        assert stats["died_waiting"] == 1 and stats["served_cold"] == 1
        assert client.wait_ready(60)["framework"] == "torch"  # the fresh one works
    finally:
        client.close()


def test_no_new_runner_starts_while_a_grade_is_timing(pool: RunnerPool) -> None:
    started = pool.stats()["started"]
    with pool.quiet():
        pool.get(KEY, "submission").close()
        time.sleep(1.5)
        assert pool.stats()["started"] == started
        assert pool.stats()["ready"] == {f"torch:{KEY.limits.memory_limit_mb}MB": 0}
    assert pool.wait_until_full(120)
    assert pool.stats()["started"] == started + 1


def test_runners_started_at_once_outlive_their_start() -> None:
    """Several starts under way at once, real sandboxes: each runner must stay alive after its
    start finished (a sandbox ends with the thread that launched it, so launching from a
    short-lived thread would leave only dead runners). Case runners: no framework to import."""
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    key = PoolKey(CASES_FRAMEWORK, HARDWARE.limits(memory_limit_mb=512, output_limit_kb=16))
    runners = RunnerPool(BwrapLauncher(), HARDWARE, [key], size=3, refill_parallel=3)
    try:
        assert runners.wait_until_full(120), runners.stats()
        time.sleep(1.0)
        stats = runners.stats()
        assert stats["died_waiting"] == 0 and stats["start_failures"] == 0, stats
        assert stats["started"] == 3 and stats["ready"] == {f"cases:{key.limits.memory_limit_mb}MB": 3}
        client = runners.get(key, "cases")
        client.sync(10)  # it answers
        client.close()
    finally:
        runners.close()


class RecordingPool(RunnerPool):
    """Notes, for each runner it starts, how many runners had joined the pool by then."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.launches: list[int] = []
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def start_fresh(self, key: PoolKey, role: str, warm_device: bool = False) -> RunnerClient:
        self.launches.append(self.stats()["started"])
        return super().start_fresh(key, role, warm_device)


def test_two_missing_runners_start_at_once() -> None:
    """A grade takes two runners; the second must not wait for the first to finish importing."""
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    pool = RecordingPool(BwrapLauncher(), HARDWARE, [KEY], size=2, refill_parallel=2)
    try:
        assert pool.wait_until_full(120), pool.stats()
        assert pool.launches == [0, 0]  # both launched before either was ready
        taken = [pool.get(KEY, "submission"), pool.get(KEY, "reference")]
        assert pool.wait_until_full(120)
        assert pool.launches[2:] == [2, 2]  # the refills overlap too
        for client in taken:
            client.close()
    finally:
        pool.close()


def test_the_end_of_timing_is_announced_once_no_grade_times(pool: RunnerPool) -> None:
    told: list[bool] = []
    pool.on_timing_done(lambda: told.append(pool.timing()))
    with pool.quiet():
        with pool.quiet():
            pass
        assert told == []  # another grade is still timing
    assert told == [False]
