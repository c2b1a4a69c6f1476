"""Checking a question against itself: references pass, solutions/ get their expected verdicts.

Used by `dojo questions check`, by CI, and by the admin API before a question is published.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .judge import GradeConfig, grade
from .spec import Question
from .verdict import Status


@dataclass(frozen=True)
class CheckItem:
    slug: str
    file: str
    framework: str
    expect: Status


@dataclass(frozen=True)
class CheckOutcome:
    item: CheckItem
    got: Status
    message: str

    @property
    def ok(self) -> bool:
        return self.got == self.item.expect

    def describe(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        text = f"{mark} {self.item.slug}: {self.item.file} [{self.item.framework}] expected {self.item.expect.value}"
        return text if self.ok else f"{text}, got {self.got.value}: {self.message}"


def check_items(question: Question) -> Iterator[CheckItem]:
    if question.spec.kind != "coding":
        return
    for framework in question.spec.frameworks:
        yield CheckItem(question.slug, f"{framework}/reference.py", framework, Status.ACCEPTED)
    for solution in question.spec.solutions:
        yield CheckItem(question.slug, solution.file, solution.framework, solution.expect)


def check_question(question: Question, config: GradeConfig | None = None, parallel: int = 2) -> list[CheckOutcome]:
    return check_questions([question], config, parallel)


def check_questions(
    questions: list[Question], config: GradeConfig | None = None, parallel: int = 2
) -> list[CheckOutcome]:
    """Grade every reference and solution in submit mode, `parallel` grades at a time."""
    by_slug = {q.slug: q for q in questions}
    items = [item for q in questions for item in check_items(q)]

    def run(item: CheckItem) -> CheckOutcome:
        question = by_slug[item.slug]
        result = grade(question, item.framework, question.files[item.file], "submit", config=config)
        return CheckOutcome(item, result.status, result.message)

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        return list(pool.map(run, items))
