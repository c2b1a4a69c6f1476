"""Fixtures for grading tests: the real question bank and the real sandbox."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support import require_bwrap
from workers.grading.bank import DEFAULT_BANK_DIR, load_question
from workers.grading.judge import GradeConfig, grade
from workers.grading.spec import Question
from workers.grading.verdict import GradeResult


@pytest.fixture(scope="session")
def softmax() -> Question:
    return load_question(DEFAULT_BANK_DIR / "softmax")


@pytest.fixture(scope="session")
def sandboxed_config() -> GradeConfig:
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    return GradeConfig(launcher=BwrapLauncher(), speed_budget_scale=0.25)


Grader = Callable[..., GradeResult]


@pytest.fixture
def grade_softmax(softmax: Question, sandboxed_config: GradeConfig) -> Grader:
    def run(code: str, framework: str = "torch", mode: str = "run", time_limit_s: float | None = None) -> GradeResult:
        question = softmax
        if time_limit_s is not None:
            limits = softmax.spec.limits.model_copy(update={"time_limit_s": time_limit_s})
            question = softmax.model_copy(update={"spec": softmax.spec.model_copy(update={"limits": limits})})
        return grade(question, framework, code, mode, config=sandboxed_config)  # type: ignore[arg-type]

    return run
