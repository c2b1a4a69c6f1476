"""Follow-up links between questions, checked against the rest of the bank.

A question's `[[followups]]` names other questions an interviewer may push once it is done. A
spec alone can only see its own table (no self-link, no repeats); whether each target exists,
is a coding question, has every framework of its parent and never leads back to its parent
needs the other questions, so it is checked here: for the folders when the bank is loaded
(`dojo questions check|sync`), and for an admin's upload against the questions in the database.

A follow-up must have all of its parent's frameworks: a session pins one framework when it is
created, and a follow-up its interviewer cannot push would be a dead button.
"""

from __future__ import annotations

from collections.abc import Callable

from .spec import Question, QuestionFormatError, Spec

FindSpec = Callable[[str], Spec | None]  # a slug -> its spec, None when there is no such question


def check_links(question: Question, find: FindSpec) -> None:
    """Raise QuestionFormatError for the first follow-up of `question` that cannot be pushed."""
    spec = question.spec
    for index, followup in enumerate(spec.followups):
        field = f"followups.{index}.question"
        target = find(followup.question)
        if target is None:
            raise QuestionFormatError(spec.slug, "question.toml", field, f"no question '{followup.question}'")
        if target.kind != "coding":
            raise QuestionFormatError(spec.slug, "question.toml", field, f"'{target.slug}' is not a coding question")
        missing = [f for f in spec.frameworks if f not in target.frameworks]
        if missing:
            raise QuestionFormatError(
                spec.slug,
                "question.toml",
                field,
                f"'{target.slug}' has no {', '.join(missing)} version"
                " (a follow-up needs every framework of its parent)",
            )
    cycle = _path_back(spec, find)
    if cycle:
        raise QuestionFormatError(
            spec.slug, "question.toml", "followups", f"leads back to itself: {' -> '.join(cycle)}"
        )


def check_bank_links(bank: dict[str, Question]) -> None:
    """Every question's follow-ups against the others of the same bank."""

    def find(slug: str) -> Spec | None:
        question = bank.get(slug)
        return question.spec if question is not None else None

    for question in bank.values():
        check_links(question, find)


def _path_back(start: Spec, find: FindSpec) -> list[str]:
    """A chain of follow-ups from `start` back to itself, or [] (depth-first, each slug once)."""
    seen: set[str] = set()
    stack: list[tuple[str, list[str]]] = [(f.question, [start.slug]) for f in start.followups]
    while stack:
        slug, path = stack.pop()
        if slug == start.slug:
            return [*path, slug]
        if slug in seen:
            continue
        seen.add(slug)
        spec = find(slug)
        if spec is not None:
            stack.extend((f.question, [*path, slug]) for f in spec.followups)
    return []
