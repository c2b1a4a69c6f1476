"""Grading a concept answer: pure functions over a question's concept spec, no database.

Multiple choice compares the one pick with the one correct option. Multiple select ("choose
all that apply") compares the set of picks with the set of correct options: the answer is
correct only when the sets are equal, and each option gets a mark so the candidate sees which
picks were right, which were wrong and which correct options were missed. Predict-output
compares the printed output exactly after a whitespace normalisation (see `normalise_output`);
an explanation given with it is stored and shown but never graded.

`app.concepts.service` grades with these when an answer is stored, and grades the stored picks
again, under the current key, whenever that answer is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from workers.grading.spec import Concept

# right: picked and correct; wrong: picked but not correct; missed: correct but not picked;
# skipped: neither picked nor correct (leaving it out was right).
Mark = Literal["right", "wrong", "missed", "skipped"]

OUTPUT_RULE = (
    "Compared exactly, line by line, after removing trailing spaces from each line, blank "
    "lines at the start and end, and Windows line endings. Spaces inside a line count."
)


@dataclass
class OptionMark:
    index: int
    picked: bool
    correct: bool
    mark: Mark


@dataclass
class Grade:
    correct: bool | None  # None: nothing to grade (a blank answer, or a short answer)
    options: list[OptionMark] = field(default_factory=list)

    @property
    def right_picks(self) -> int:
        return sum(1 for o in self.options if o.mark == "right")

    @property
    def wrong_picks(self) -> int:
        return sum(1 for o in self.options if o.mark == "wrong")

    @property
    def missed(self) -> int:
        return sum(1 for o in self.options if o.mark == "missed")

    @property
    def score(self) -> float | None:
        """Partial credit: the share of options judged as the key judges them."""
        if not self.options:
            return None
        agreed = sum(1 for o in self.options if o.mark in ("right", "skipped"))
        return agreed / len(self.options)


def normalise_output(text: str) -> str:
    """The rule in OUTPUT_RULE: only whitespace that a terminal does not show is ignored."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").strip("\n").split("\n")]
    return "\n".join(lines).strip("\n")


def mark_options(concept: Concept, picked: set[int]) -> list[OptionMark]:
    marks = []
    for index, option in enumerate(concept.options):
        chosen = index in picked
        mark: Mark
        if chosen:
            mark = "right" if option.correct else "wrong"
        else:
            mark = "missed" if option.correct else "skipped"
        marks.append(OptionMark(index=index, picked=chosen, correct=option.correct, mark=mark))
    return marks


def grade_picks(concept: Concept, picked: set[int]) -> Grade:
    """Multiple choice or multiple select; no picks at all grades nothing (just a reveal)."""
    if not picked:
        return Grade(correct=None)
    key = {i for i, o in enumerate(concept.options) if o.correct}
    return Grade(correct=picked == key, options=mark_options(concept, picked))


def grade_output(concept: Concept, output: str) -> Grade:
    if not output.strip() or concept.expected_output is None:
        return Grade(correct=None)
    return Grade(correct=normalise_output(output) == normalise_output(concept.expected_output))
