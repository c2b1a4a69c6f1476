"""A submit grade takes the runners its hidden tests need at its start: the case runner comes up
beside the others. The verdicts, and what is closed when a grade ends early, do not change."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.support import require_bwrap
from workers.grading.client import RunnerClient
from workers.grading.judge import GradeConfig, grade
from workers.grading.pool import FreshRunners, PoolKey
from workers.grading.runners import Hardware
from workers.grading.spec import Question
from workers.grading.verdict import Status


class RecordingRunners(FreshRunners):
    """Fresh runners that note each request among the grade's events, and keep every client."""

    def __init__(self, log: list[str]) -> None:
        from workers.grading.sandbox import BwrapLauncher

        super().__init__(BwrapLauncher(), Hardware())
        self.log, self.clients = log, []  # type: list[str], list[RunnerClient]

    def get(self, key: PoolKey, role: str) -> RunnerClient:
        self.log.append(f"get {role}")
        client = super().get(key, role)
        self.clients.append(client)
        return client


def all_closed(runners: RecordingRunners) -> bool:
    """Every runner the grade took has been reaped (its exit recorded)."""
    return bool(runners.clients) and all(c.process._finished is not None for c in runners.clients)  # type: ignore[attr-defined]


@pytest.fixture
def recorded(sandboxed_config: GradeConfig) -> tuple[GradeConfig, list[str], RecordingRunners]:
    require_bwrap()
    log: list[str] = []
    runners = RecordingRunners(log)
    return dataclasses.replace(sandboxed_config, runners=runners), log, runners


def _grade(question: Question, code: str, recorded: Any) -> Any:
    config, log, _ = recorded
    return grade(question, "torch", code, "submit", config=config,
                 on_event=lambda event: log.append(f"event {event['type']}"))


def test_the_case_runner_is_taken_before_the_code_loads(softmax: Question, recorded: Any) -> None:
    result = _grade(softmax, softmax.files["solutions/stable.torch.py"], recorded)
    _, log, runners = recorded
    assert result.accepted, result.message
    assert log.index("get cases") < log.index("event loaded")
    assert log.count("get cases") == 1 and all_closed(runners)


def test_a_hidden_test_failure_names_that_test_and_runs_no_later_one(softmax: Question, recorded: Any) -> None:
    config, log, runners = recorded
    config.stop_at_first_failure = True
    result = _grade(softmax, softmax.files["solutions/global_max.torch.py"], recorded)
    failed = result.tests[-1]  # the grade ends at its first failure
    assert not failed.passed and not failed.visible and all(t.passed for t in result.tests[:-1])
    assert result.status is Status.WRONG_ANSWER and f"hidden test '{failed.name}'" in result.message, result.message
    assert "event timing" not in log  # nothing after the failing test reached the runners
    assert all_closed(runners)


def test_code_that_fails_to_load_closes_the_case_runner_taken_early(softmax: Question, recorded: Any) -> None:
    result = _grade(softmax, "def softmax(x:\n", recorded)
    _, log, runners = recorded
    assert result.status is Status.COMPILE_ERROR, result.message
    assert "get cases" in log and all_closed(runners)


def test_a_failing_reference_is_still_our_error(softmax: Question, recorded: Any) -> None:
    broken = dict(softmax.files, **{"torch/reference.py": "def softmax(x):\n    raise RuntimeError('ours')\n"})
    result = _grade(softmax.model_copy(update={"files": broken}), softmax.files["solutions/stable.torch.py"], recorded)
    assert result.status is Status.INTERNAL_ERROR and "reference runner failed" in result.message, result.message
