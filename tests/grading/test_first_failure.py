"""A check needs verdicts only: its grades end at the first failing test, with the verdict a
full grade gives."""

from __future__ import annotations

from dataclasses import replace

from workers.grading.judge import GradeConfig, grade
from workers.grading.spec import Question
from workers.grading.verdict import Status


def test_a_grade_told_to_stop_at_the_first_failure_gives_the_full_grades_verdict(
    softmax: Question, sandboxed_config: GradeConfig
) -> None:
    wrong = softmax.files["solutions/wrong_axis.torch.py"]
    full = grade(softmax, "torch", wrong, "submit", config=sandboxed_config)
    short = grade(softmax, "torch", wrong, "submit", config=replace(sandboxed_config, stop_at_first_failure=True))
    assert full.status is short.status is Status.WRONG_ANSWER
    assert short.message == full.message
    assert [t.passed for t in short.tests] == [True] * (len(short.tests) - 1) + [False]
    assert len(short.tests) < len(full.tests) == len(softmax.spec.examples) + len(softmax.spec.tests)
