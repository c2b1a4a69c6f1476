"""The whole bank: sizes, must-fail coverage, the generated summary, and `questions check`."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.support import require_bwrap
from workers.grading.bank import load_bank
from workers.grading.checks import CheckOutcome, check_items, check_questions
from workers.grading.judge import GradeConfig
from workers.grading.summary import bank_summary_markdown
from workers.grading.verdict import Status

BANK = load_bank()
CODING = sorted(slug for slug, q in BANK.items() if q.spec.kind == "coding")


def test_bank_has_47_coding_questions_in_both_frameworks_and_thirty_concepts() -> None:
    kinds = Counter(q.spec.kind for q in BANK.values())
    assert kinds["coding"] >= 47 and kinds["concept"] >= 30
    for slug in CODING:
        assert set(BANK[slug].spec.frameworks) == {"torch", "jax"}, slug


@pytest.mark.parametrize("slug", CODING)
def test_each_coding_question_has_one_passing_and_three_failing_solutions(slug) -> None:
    expects = Counter(s.expect for s in BANK[slug].spec.solutions)
    assert expects[Status.ACCEPTED] >= 1
    assert sum(n for status, n in expects.items() if status is not Status.ACCEPTED) >= 3
    assert BANK[slug].spec.tests, "hidden test families are required"
    assert all(t.explanation for t in BANK[slug].spec.tests), "every hidden family explains itself"


def test_docs_bank_summary_is_current() -> None:
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "BANK.md"
    assert page.read_text() == bank_summary_markdown(BANK), (
        "regenerate with: .venv/bin/dojo questions summary --markdown > docs/BANK.md")


@pytest.fixture(scope="module")
def config() -> GradeConfig:
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    return GradeConfig(launcher=BwrapLauncher(), speed_budget_scale=0.25)


@pytest.fixture(scope="module")
def bank_outcomes(request: pytest.FixtureRequest, config: GradeConfig) -> dict[str, list[CheckOutcome]]:
    """Every selected question's check, graded as one stream two at a time: checked question by
    question, each question's last grades ran alone while a core sat idle."""
    selected = sorted({item.callspec.params["slug"] for item in request.session.items
                       if item.originalname == "test_question_check_passes"})
    outcomes = check_questions([BANK[slug] for slug in selected], config, parallel=2, share_jax_compiles=True)
    grouped: dict[str, list[CheckOutcome]] = {slug: [] for slug in selected}
    for outcome in outcomes:
        grouped[outcome.item.slug].append(outcome)
    return grouped


@pytest.mark.slow
# The first of these tests sets up `bank_outcomes`, which grades the whole bank (20-30 min).
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("slug", CODING)
def test_question_check_passes(slug: str, bank_outcomes: dict[str, list[CheckOutcome]]) -> None:
    """Every reference is accepted and every solutions/ file gets its expected verdict."""
    outcomes = bank_outcomes[slug]
    assert len(outcomes) == len(list(check_items(BANK[slug])))
    failures = [o.describe() for o in outcomes if not o.ok]
    assert not failures, "\n".join(failures)
