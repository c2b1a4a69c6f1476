"""`questions check` shares a question's reference and case runners across its grades: a kept runner is
handed to the next grade, a runner whose request failed is ended, and nothing outlives the
check. Runner processes are stand-ins here; the real thing runs in test_bank.py."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest

from workers.grading.checks import SharedReferences
from workers.grading.client import RunnerClient, RunnerFailure
from workers.grading.pool import FreshRunners, PoolKey
from workers.grading.runners import Hardware
from workers.grading.sandbox.base import ExitInfo, Limits


@dataclass
class StandInProcess:
    pid: int
    to_child: io.BytesIO = field(default_factory=io.BytesIO)
    from_child: io.BytesIO = field(default_factory=io.BytesIO)
    finished: int = 0

    def finish(self, timeout_s: float = 2.0) -> ExitInfo:
        self.finished += 1
        return ExitInfo(returncode=0)

    def poll_limits(self) -> ExitInfo | None:
        return None


class StandInRunners(FreshRunners):
    def __init__(self) -> None:
        super().__init__(launcher=None, hardware=Hardware())  # type: ignore[arg-type]
        self.processes: list[StandInProcess] = []

    def get(self, key: PoolKey, role: str) -> RunnerClient:
        process = StandInProcess(pid=len(self.processes) + 1)
        self.processes.append(process)
        # Already asked to exit: closing only reaps the stand-in, no message is sent.
        return RunnerClient(process, role, exit_requested=True)


TORCH = PoolKey("torch", Limits())
JAX = PoolKey("jax", Limits())
CASES = PoolKey("cases", Limits())


@pytest.fixture
def base() -> StandInRunners:
    return StandInRunners()


def test_a_closed_reference_serves_the_next_grade(base: StandInRunners) -> None:
    shared = SharedReferences(base)
    first = shared.get(TORCH, "reference")
    first.request_exit()
    first.close()
    assert shared.get(TORCH, "reference") is first
    assert shared.started == 1 and base.processes[0].finished == 0


def test_concurrent_grades_and_other_frameworks_get_their_own(base: StandInRunners) -> None:
    shared = SharedReferences(base)
    a, b, c = shared.get(TORCH, "reference"), shared.get(TORCH, "reference"), shared.get(JAX, "reference")
    assert len({id(a), id(b), id(c)}) == 3 and shared.started == 3
    c.close()
    assert shared.get(TORCH, "reference") is not c


def test_submissions_are_never_kept(base: StandInRunners) -> None:
    shared = SharedReferences(base)
    submission = shared.get(TORCH, "submission")
    submission.close()
    assert base.processes[0].finished == 1
    assert shared.get(TORCH, "submission") is not submission and shared.started == 0


def test_a_case_runner_serves_the_next_grade_too(base: StandInRunners) -> None:
    shared = SharedReferences(base)
    first = shared.get(CASES, "cases")
    first.close()
    assert shared.get(CASES, "cases") is first and base.processes[0].finished == 0


def test_a_reference_whose_request_failed_is_ended(base: StandInRunners, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = SharedReferences(base)
    kept = shared.get(TORCH, "reference")

    def times_out(*args: object) -> None:
        raise RunnerFailure("timeout", "the reference did not answer in time")

    monkeypatch.setattr(RunnerClient, "_exchange_sized", times_out)
    with pytest.raises(RunnerFailure):
        kept.ask({"op": "sync"}, 1.0, 1024)
    kept.close()
    assert base.processes[0].finished == 1
    assert shared.get(TORCH, "reference") is not kept and shared.started == 2


def test_closing_the_check_ends_every_reference_once(base: StandInRunners) -> None:
    shared = SharedReferences(base)
    idle = shared.get(TORCH, "reference")
    busy = shared.get(JAX, "reference")
    idle.close()
    shared.close()
    busy.close()  # a grade finishing after the check ended does not revive it
    assert [p.finished for p in base.processes] == [1, 1]
