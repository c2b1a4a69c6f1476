"""How the runner pool refills: several starts at once up to its limit, a failed start dropped
and replaced without losing the others, and the device warm-up asked of pooled runners only.

The launcher here starts no process: each "runner" is a pair of pipes whose ready message the
test writes when it chooses, so what is asserted is the order of starts, not wall time.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

from workers.grading import pool as pool_module
from workers.grading.harness import wire
from workers.grading.harness.device_warmup import WARM_DEVICE_ENV
from workers.grading.pool import PoolKey, RunnerPool, refill_parallelism
from workers.grading.runners import Hardware
from workers.grading.sandbox.base import ExitInfo, Limits, RunnerSpec

HARDWARE = Hardware()
KEY = PoolKey("torch", HARDWARE.limits(memory_limit_mb=1024, output_limit_kb=16))
OTHER_KEY = PoolKey("jax", HARDWARE.limits(memory_limit_mb=1024, output_limit_kb=16))


class FakeRunner:
    """A started runner as the judge sees it: its two pipes, and the test's end of them."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        self.to_child = os.fdopen(request_write, "wb", buffering=0)
        self.from_child = os.fdopen(reply_read, "rb", buffering=0)
        self._requests = os.fdopen(request_read, "rb", buffering=0)
        self._replies = os.fdopen(reply_write, "wb", buffering=0)
        self.pid = -1  # never signalled: only a JAX warm-up runner is
        self.answered = False
        self.finished = False

    def ready(self) -> None:
        self._answer({"ready": True, "seq": 0, "framework": "torch"})

    def unhealthy(self) -> None:
        self._answer({"ready": False, "seq": 0, "unhealthy": "device warm-up failed: test"})

    def die(self) -> None:
        self.answered = True
        self._replies.close()  # the judge reads end of file: the process ended

    def _answer(self, message: dict) -> None:
        self.answered = True
        wire.write_message(self._replies, message)

    def poll_limits(self) -> ExitInfo | None:
        return ExitInfo(returncode=0) if self.finished else None

    def finish(self, timeout_s: float = 2.0) -> ExitInfo:
        self.finished = True
        for stream in (self.to_child, self.from_child, self._requests, self._replies):
            stream.close()
        return ExitInfo(returncode=0)


class FakeLauncher:
    name = "fake"

    def __init__(self) -> None:
        self.runners: list[FakeRunner] = []
        self._started = threading.Condition()

    def start(self, spec: RunnerSpec, limits: Limits) -> FakeRunner:
        runner = FakeRunner(dict(spec.env))
        with self._started:
            self.runners.append(runner)
            self._started.notify_all()
        return runner

    def wait_for(self, count: int, timeout_s: float = 10.0) -> list[FakeRunner]:
        with self._started:
            assert self._started.wait_for(lambda: len(self.runners) >= count, timeout_s), len(self.runners)
            return list(self.runners)

    def still(self, count: int, settle_s: float = 0.3) -> bool:
        """No further start within `settle_s` (the refill thread had time for a wrong one)."""
        time.sleep(settle_s)
        with self._started:
            return len(self.runners) == count


@pytest.fixture
def launcher(monkeypatch: pytest.MonkeyPatch) -> FakeLauncher:
    monkeypatch.setattr(pool_module, "START_FAILURE_PAUSE_S", 0.05)
    return FakeLauncher()


@pytest.fixture
def make_pool(launcher: FakeLauncher) -> Iterator:
    pools: list[RunnerPool] = []

    def make(size: int, refill_parallel: int, **kwargs) -> RunnerPool:
        pools.append(RunnerPool(launcher, HARDWARE, [KEY], size=size, refill_parallel=refill_parallel, **kwargs))  # type: ignore[arg-type]
        return pools[-1]

    yield make
    for pool in pools:
        pool.close()


def served(pool: RunnerPool) -> list[object]:
    return [client.process for client in pool._ready[KEY]]


def test_parallelism_follows_the_cores_unless_set() -> None:
    assert refill_parallelism(0, cores=2) == 1  # a small machine keeps a core for grading
    assert refill_parallelism(0, cores=1) == 1
    assert refill_parallelism(0, cores=16) == 4
    assert refill_parallelism(3, cores=2) == 3  # DOJO_RUNNER_POOL_REFILL_PARALLEL wins


def test_a_refill_starts_up_to_the_limit_before_waiting_on_the_first(launcher: FakeLauncher, make_pool) -> None:
    pool = make_pool(size=4, refill_parallel=3)
    first = launcher.wait_for(3)
    assert launcher.still(3), "a fourth start went beyond the limit"
    assert not any(r.answered for r in first)  # three under way at once, none ready yet
    assert pool.stats()["starting"] == 3
    first[1].ready()
    fourth = launcher.wait_for(4)[3]  # the slot it freed goes to the fourth
    for runner in (first[0], first[2], fourth):
        runner.ready()
    assert pool.wait_until_full(10)
    assert pool.stats()["started"] == 4 and pool.stats()["starting"] == 0
    assert set(served(pool)) == {*first, fourth}


def test_a_limit_of_one_starts_one_at_a_time(launcher: FakeLauncher, make_pool) -> None:
    pool = make_pool(size=3, refill_parallel=1)
    for count in (1, 2, 3):
        runner = launcher.wait_for(count)[-1]
        assert launcher.still(count), "a second start before the first was ready"
        runner.ready()
    assert pool.wait_until_full(10)
    assert launcher.still(3)


def test_a_refill_starts_no_more_than_it_needs(launcher: FakeLauncher, make_pool) -> None:
    pool = make_pool(size=2, refill_parallel=4)
    for runner in launcher.wait_for(2):
        assert not runner.answered
    assert launcher.still(2)
    for runner in launcher.runners:
        runner.ready()
    assert pool.wait_until_full(10)


def test_a_failed_start_in_a_batch_is_replaced_and_the_others_kept(launcher: FakeLauncher, make_pool) -> None:
    pool = make_pool(size=3, refill_parallel=3)
    first = launcher.wait_for(3)
    first[1].die()
    first[0].ready()
    first[2].ready()
    replacement = launcher.wait_for(4)[3]
    assert launcher.still(4)
    replacement.ready()
    assert pool.wait_until_full(10)
    stats = pool.stats()
    assert stats["start_failures"] == 1 and stats["started"] == 3
    assert set(served(pool)) == {first[0], first[2], replacement}
    assert first[1].finished


def test_an_unhealthy_runner_is_discarded_not_served(launcher: FakeLauncher, make_pool) -> None:
    pool = make_pool(size=1, refill_parallel=1)
    sick = launcher.wait_for(1)[0]
    sick.unhealthy()
    healthy = launcher.wait_for(2)[1]
    healthy.ready()
    assert pool.wait_until_full(10)
    assert served(pool) == [healthy] and sick.finished
    stats = pool.stats()
    assert stats["unhealthy"] == 1 and stats["start_failures"] == 1


def test_a_start_that_times_out_is_ended_and_replaced(launcher: FakeLauncher, make_pool) -> None:
    pool = make_pool(size=1, refill_parallel=1, startup_timeout_s=0.2)
    silent = launcher.wait_for(1)[0]
    launcher.wait_for(2)[1].ready()
    assert pool.wait_until_full(10)
    assert silent.finished, "a runner that never answered was left running"


def test_only_pooled_runners_are_asked_to_warm_their_device(launcher: FakeLauncher, make_pool) -> None:
    pool = make_pool(size=1, refill_parallel=1)
    pooled = launcher.wait_for(1)[0]
    assert pooled.env[WARM_DEVICE_ENV] == "1"
    pooled.ready()
    assert pool.wait_until_full(10)
    client = pool.get(OTHER_KEY, "submission")  # a key the pool does not keep: a cold start
    try:
        assert client.process is launcher.wait_for(2)[1]
        assert WARM_DEVICE_ENV not in launcher.runners[1].env  # the grade's clock is not spent on it
    finally:
        client.close()


def test_a_pool_can_leave_the_device_warm_up_out(launcher: FakeLauncher, make_pool) -> None:
    make_pool(size=1, refill_parallel=1, warm_device=False)
    runner = launcher.wait_for(1)[0]
    assert WARM_DEVICE_ENV not in runner.env
    runner.ready()
