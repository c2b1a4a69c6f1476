"""Concept practice: the deck, answers, ratings and when each card is due again.

Ratings schedule the card again (again: now, hard: 1 day, good: 3 days, easy: 7 days) so the
deck shows what is due first. The model answer is only revealed for a stored answer of the
user's own (see `own_review` and `reveal`). Functions take the caller's session and never
commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.database import utcnow
from app.core.errors import Invalid, NotFound
from app.questions import service as questions
from app.questions.models import QuestionVersion
from workers.grading.spec import Concept

from .grading import OUTPUT_RULE, Grade, grade_output, grade_picks
from .models import ConceptReview

RATINGS = {
    "again": ("Again", "didn't know it", timedelta(0)),
    "hard": ("Hard", "knew part of it", timedelta(days=1)),
    "good": ("Good", "knew it", timedelta(days=3)),
    "easy": ("Easy", "knew it cold", timedelta(days=7)),
}
MAX_ANSWER = 4000
PICKED_FORMATS = ("multiple_choice", "multiple_select")


@dataclass
class CardState:
    slug: str
    title: str
    topic: str
    difficulty: str
    tags: list[str]
    last_rating: str | None
    last_at: datetime | None
    due_at: datetime | None  # None: never answered

    @property
    def due(self) -> bool:
        return self.due_at is None or self.due_at <= utcnow()


def concept_of(row: QuestionVersion) -> Concept:
    """The concept spec of a question version; 404 for a coding question."""
    concept = questions.as_question(row).spec.concept
    if concept is None:
        raise NotFound("this is not a concept question")
    return concept


def deck(db: Session, user: User | None) -> list[CardState]:
    """Every concept card with the user's last rating, due ones first, then by topic."""
    rows = questions.list_current(db, {"kind": "concept"})
    latest: dict[str, ConceptReview] = {}
    if user is not None:
        reviews = db.scalars(
            select(ConceptReview)
            .where(ConceptReview.user_id == user.id, ConceptReview.rating.is_not(None))
            .order_by(ConceptReview.id)
        )
        for item in reviews:
            latest[item.question_slug] = item
    cards = []
    for row in rows:
        review = latest.get(row["slug"])
        cards.append(
            CardState(
                slug=row["slug"],
                title=row["title"],
                topic=_topic(db, row["slug"]),
                difficulty=row["difficulty"],
                tags=row["tags"],
                last_rating=review.rating if review is not None else None,
                last_at=review.rated_at if review is not None else None,
                due_at=due_time(review) if review is not None else None,
            )
        )
    far = datetime.max.replace(tzinfo=utcnow().tzinfo)
    cards.sort(key=lambda c: (not c.due, c.due_at is not None, c.due_at or far, c.topic, c.title))
    return cards


def due_time(review: ConceptReview) -> datetime | None:
    """When a rated card is due again: its rating's interval after it was rated."""
    if review.rated_at is None or review.rating not in RATINGS:
        return None
    return review.rated_at + RATINGS[review.rating][2]


def due_count(cards: list[CardState]) -> int:
    return sum(1 for c in cards if c.due)


def next_card(cards: list[CardState], after: str = "") -> CardState | None:
    """The card to show next: the first due one other than `after`, else the first other one."""
    due = [c for c in cards if c.due and c.slug != after] or [c for c in cards if c.slug != after]
    return due[0] if due else None


def _topic(db: Session, slug: str) -> str:
    row = questions.current_version(db, slug)
    if row is None:
        return ""
    concept = questions.as_question(row).spec.concept
    return concept.topic if concept is not None else ""


def own_review(db: Session, user: User | None, review_id: int | None, slug: str) -> ConceptReview | None:
    """The user's own stored answer to `slug`, or None (someone else's answers are never shown)."""
    if user is None or review_id is None:
        return None
    review = db.get(ConceptReview, review_id)
    if review is None or review.user_id != user.id or review.question_slug != slug:
        return None
    return review


def picks(review: ConceptReview) -> set[int]:
    if review.choices is not None:
        return set(review.choices)
    return {review.choice} if review.choice is not None else set()


def stored_grade(concept: Concept, review: ConceptReview) -> Grade:
    """The grade of a stored answer, marks per option included, recomputed from its picks
    under the current key: a single pick stored before a question became multiple-select is
    judged as a set too, not by the verdict stored with it."""
    if concept.format in PICKED_FORMATS:
        return grade_picks(concept, picks(review))
    return Grade(correct=review.correct)


def mark_at(grade: Grade, index: int) -> str | None:
    return grade.options[index].mark if index < len(grade.options) else None


def reveal(concept: Concept, review: ConceptReview) -> dict[str, Any]:
    """What a card shows once the user has a stored answer: the key, marks and model answer."""
    grade = stored_grade(concept, review)
    return {
        "model_answer": concept.model_answer,
        "options": [o.model_dump() | {"mark": mark_at(grade, i)} for i, o in enumerate(concept.options)],
        "grade": grade,
        "expected_output": concept.expected_output,
    }


def parse_picks(concept: Concept, choice: str, choices: list[str]) -> set[int]:
    """Option indices from the form: one `choice` (multiple choice) or many `choices`."""
    raw = [c for c in (choices if concept.format == "multiple_select" else [choice]) if c.strip()]
    picked = set()
    for value in raw:
        if not value.isdigit() or int(value) >= len(concept.options):
            raise Invalid("pick among the options shown")
        picked.add(int(value))
    if concept.format == "multiple_choice" and len(picked) > 1:
        raise Invalid("pick one option")
    return picked


def store_answer(
    db: Session,
    user: User,
    row: QuestionVersion,
    concept: Concept,
    *,
    text: str = "",
    explanation: str = "",
    choice: str = "",
    choices: list[str] | None = None,
) -> tuple[ConceptReview, Grade]:
    """Grade an answer to `row` and store it (flushed, so it has an id) with its grade."""
    picked = parse_picks(concept, choice, choices or [])
    grade = grade_output(concept, text) if concept.format == "predict_output" else grade_picks(concept, picked)
    review = ConceptReview(
        user_id=user.id,
        question_slug=row.slug,
        question_version=row.version,
        answer=text[:MAX_ANSWER],
        explanation=explanation[:MAX_ANSWER] if concept.format == "predict_output" else "",
        choice=next(iter(picked)) if concept.format == "multiple_choice" and picked else None,
        choices=sorted(picked) if concept.format == "multiple_select" else None,
        correct=grade.correct,
    )
    db.add(review)
    db.flush()
    return review, grade


def rate(db: Session, user: User, review_id: int, slug: str, rating: str) -> ConceptReview:
    """Rate the user's own answer, which schedules the card again (see RATINGS)."""
    review = own_review(db, user, review_id, slug)
    if review is None:
        raise NotFound("no such answer")
    if rating not in RATINGS:
        raise Invalid("rate with again, hard, good or easy")
    review.rating = rating
    review.rated_at = utcnow()
    db.flush()
    return review


def answer_json(review: ConceptReview, concept: Concept, grade: Grade, slug: str) -> dict[str, Any]:
    """The graded answer for API clients: per-option marks, and the key now that it is revealed."""
    body: dict[str, Any] = {
        "review": review.id,
        "format": concept.format,
        "correct": grade.correct,
        "reveal_url": f"/questions/{slug}?review={review.id}#reveal",
    }
    if concept.format in PICKED_FORMATS:
        body["score"] = grade.score
        body["options"] = [
            {"index": m.index, "picked": m.picked, "correct": m.correct, "mark": m.mark,
             "explanation": concept.options[m.index].explanation}
            for m in grade.options
        ]
    if concept.format == "predict_output":
        body |= {"expected_output": concept.expected_output, "output_rule": OUTPUT_RULE,
                 "explanation": review.explanation}
    return body
