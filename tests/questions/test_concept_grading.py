"""Concept answers graded without a database: multiple select as sets with a mark per option,
predict-output compared exactly after the stated whitespace normalisation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.concepts.grading import grade_output, grade_picks, normalise_output
from workers.grading.bank import load_bank
from workers.grading.spec import Concept

BANK = load_bank()


def _concept(slug: str) -> Concept:
    concept = BANK[slug].spec.concept
    assert concept is not None
    return concept


def _key(concept: Concept) -> set[int]:
    return {i for i, o in enumerate(concept.options) if o.correct}


@pytest.mark.parametrize(
    "slug", ["concept-host-sync-points", "concept-jit-retrace-triggers", "concept-nan-debugging-tools"]
)
def test_choose_all_that_apply_questions_are_multiple_select(slug: str) -> None:
    assert _concept(slug).format == "multiple_select"


def test_one_correct_option_is_not_enough_for_multiple_select() -> None:
    concept = _concept("concept-host-sync-points")
    key = _key(concept)
    grade = grade_picks(concept, {min(key)})
    assert grade.correct is False
    assert grade.right_picks == 1 and grade.wrong_picks == 0 and grade.missed == len(key) - 1


def test_the_exact_set_is_correct_and_every_option_is_marked() -> None:
    concept = _concept("concept-jit-retrace-triggers")
    key = _key(concept)
    grade = grade_picks(concept, key)
    assert grade.correct is True and grade.score == 1.0
    assert [m.mark for m in grade.options] == ["right" if i in key else "skipped" for i in range(len(concept.options))]


def test_a_wrong_pick_and_a_miss_are_each_marked() -> None:
    concept = _concept("concept-nan-debugging-tools")
    key = _key(concept)
    wrong = min(set(range(len(concept.options))) - key)
    missed = max(key)
    picks = (key - {missed}) | {wrong}
    grade = grade_picks(concept, picks)
    assert grade.correct is False
    assert grade.options[wrong].mark == "wrong" and grade.options[missed].mark == "missed"
    assert grade.score == pytest.approx((len(concept.options) - 2) / len(concept.options))


def test_picking_everything_is_wrong() -> None:
    concept = _concept("concept-host-sync-points")
    assert grade_picks(concept, set(range(len(concept.options)))).correct is False


def test_no_pick_grades_nothing() -> None:
    assert grade_picks(_concept("concept-host-sync-points"), set()).correct is None


def test_single_choice_is_still_one_pick() -> None:
    concept = _concept("concept-prng-explicit-keys")
    (right,) = _key(concept)
    assert grade_picks(concept, {right}).correct is True
    assert grade_picks(concept, {(right + 1) % len(concept.options)}).correct is False


def test_a_multiple_choice_with_two_correct_options_is_refused() -> None:
    raw = _concept("concept-prng-explicit-keys").model_dump()
    raw["options"] = [dict(o, correct=True) for o in raw["options"]]
    with pytest.raises(ValidationError, match="multiple_select"):
        Concept.model_validate(raw)
    assert Concept.model_validate(dict(raw, format="multiple_select")).format == "multiple_select"


def test_output_normalisation_ignores_only_invisible_whitespace() -> None:
    assert normalise_output("\r\n[1 2]   \r\n 3\n\n") == "[1 2]\n 3"
    assert normalise_output("[1 2]\n3") != normalise_output("[1  2]\n3")  # inner spaces count
    assert normalise_output("a\n\nb") == "a\n\nb"  # blank lines inside the output count


def test_predict_output_grades_the_output_alone() -> None:
    slug = next(s for s, q in BANK.items() if q.spec.concept and q.spec.concept.format == "predict_output")
    concept = _concept(slug)
    assert concept.expected_output is not None
    assert grade_output(concept, concept.expected_output + "\n\n").correct is True
    with_reasoning = concept.expected_output + "\nbecause the key is reused"
    assert grade_output(concept, with_reasoning).correct is False
    assert grade_output(concept, "  ").correct is None
