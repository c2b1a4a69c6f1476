"""Concept questions as practice cards: answer, reveal the model answer, rate how well you knew it.

Ratings schedule the card again (again: now, hard: 1 day, good: 3 days, easy: 7 days) so the
deck shows what is due first. The model answer is only rendered for a stored answer of the
user's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.database import utcnow
from app.core.deps import SessionDep
from app.core.errors import Invalid, NotFound
from app.questions import service as questions
from app.questions.models import QuestionVersion
from workers.grading.spec import Concept

from .concept_grading import OUTPUT_RULE, Grade, grade_output, grade_picks
from .deps import Csrf, PageRoute, PageUserOptional, PageUserRequired, wants_json
from .models import ConceptReview
from .templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
RATINGS = {
    "again": ("Again", "didn't know it", timedelta(0)),
    "hard": ("Hard", "knew part of it", timedelta(days=1)),
    "good": ("Good", "knew it", timedelta(days=3)),
    "easy": ("Easy", "knew it cold", timedelta(days=7)),
}
MAX_ANSWER = 4000


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
        due_at = None
        if review is not None and review.rated_at is not None and review.rating in RATINGS:
            due_at = review.rated_at + RATINGS[review.rating][2]
        topic = _topic(db, row["slug"])
        cards.append(
            CardState(
                slug=row["slug"],
                title=row["title"],
                topic=topic,
                difficulty=row["difficulty"],
                tags=row["tags"],
                last_rating=review.rating if review else None,
                last_at=review.rated_at if review else None,
                due_at=due_at,
            )
        )
    far = datetime.max.replace(tzinfo=utcnow().tzinfo)
    cards.sort(key=lambda c: (not c.due, c.due_at is not None, c.due_at or far, c.topic, c.title))
    return cards


def _topic(db: Session, slug: str) -> str:
    row = questions.current_version(db, slug)
    if row is None:
        return ""
    concept = questions.as_question(row).spec.concept
    return concept.topic if concept is not None else ""


def _own_review(db: Session, user: User | None, review_id: int | None, slug: str) -> ConceptReview | None:
    if user is None or review_id is None:
        return None
    review = db.get(ConceptReview, review_id)
    if review is None or review.user_id != user.id or review.question_slug != slug:
        return None
    return review


def card_page(
    request: Request,
    db: Session,
    user: User | None,
    row: QuestionVersion,
    view: dict[str, Any],
    review_id: int | None,
) -> Response:
    concept = questions.as_question(row).spec.concept
    assert concept is not None
    review = _own_review(db, user, review_id, row.slug)
    cards = deck(db, user)
    position = next((i for i, c in enumerate(cards) if c.slug == row.slug), 0)
    context: dict[str, Any] = {
        "section": "practice",
        "q": view,
        "concept": view["concept"],
        "review": review,
        "ratings": RATINGS,
        "deck_position": position + 1,
        "deck_size": len(cards),
        "due_count": sum(1 for c in cards if c.due),
    }
    context["output_rule"] = OUTPUT_RULE
    if review is not None:
        # Only now, for the user's own stored answer, does the model answer leave the server.
        grade = stored_grade(concept, review)
        context.update(
            model_answer=concept.model_answer,
            options=[o.model_dump() | {"mark": _mark_at(grade, i)} for i, o in enumerate(concept.options)],
            grade=grade,
            expected_output=concept.expected_output,
        )
    return render(request, "concepts/card.html", context)


def _picks(review: ConceptReview) -> set[int]:
    if review.choices is not None:
        return set(review.choices)
    return {review.choice} if review.choice is not None else set()


def stored_grade(concept: Concept, review: ConceptReview) -> Grade:
    """The grade of a stored answer, marks per option included, recomputed from its picks
    under the current key: a single pick stored before a question became multiple-select is
    judged as a set too, not by the verdict stored with it."""
    if concept.format in ("multiple_choice", "multiple_select"):
        return grade_picks(concept, _picks(review))
    return Grade(correct=review.correct)


def _mark_at(grade: Grade, index: int) -> str | None:
    return grade.options[index].mark if index < len(grade.options) else None


def _parse_picks(concept: Concept, choice: str, choices: list[str]) -> set[int]:
    """Option indices from the form: one `choice` (multiple choice) or many `choices`."""
    raw = [c for c in (choices if concept.format == "multiple_select" else [choice]) if c.strip()]
    picks = set()
    for value in raw:
        if not value.isdigit() or int(value) >= len(concept.options):
            raise Invalid("pick among the options shown")
        picks.add(int(value))
    if concept.format == "multiple_choice" and len(picks) > 1:
        raise Invalid("pick one option")
    return picks


def answer_json(review: ConceptReview, concept: Concept, grade: Grade, slug: str) -> dict[str, Any]:
    """The graded answer for API clients: per-option marks, and the key now that it is revealed."""
    body: dict[str, Any] = {
        "review": review.id,
        "format": concept.format,
        "correct": grade.correct,
        "reveal_url": f"/questions/{slug}?review={review.id}#reveal",
    }
    if concept.format in ("multiple_choice", "multiple_select"):
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


@router.get("/practice")
def practice_deck(request: Request, db: SessionDep, user: PageUserOptional) -> Response:
    cards = deck(db, user)
    topics = sorted({c.topic for c in cards})
    context = {
        "section": "practice",
        "cards": cards,
        "topics": topics,
        "due_count": sum(1 for c in cards if c.due),
        "ratings": RATINGS,
    }
    return render(request, "concepts/deck.html", context)


@router.get("/practice/next")
def next_card(db: SessionDep, user: PageUserOptional, after: str = "") -> Response:
    cards = deck(db, user)
    due = [c for c in cards if c.due and c.slug != after] or [c for c in cards if c.slug != after]
    if not due:
        return RedirectResponse("/practice", 303)
    return RedirectResponse(f"/questions/{due[0].slug}", 303)


@router.post("/questions/{slug}/answer", dependencies=[Csrf])
def answer(
    request: Request,
    slug: str,
    db: SessionDep,
    user: PageUserRequired,
    text: Annotated[str, Form()] = "",
    explanation: Annotated[str, Form()] = "",
    choice: Annotated[str, Form()] = "",
    choices: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Store and grade an answer; JSON clients (Accept: application/json) get the grade."""
    row = questions.get_current(db, slug)
    concept = questions.as_question(row).spec.concept
    if concept is None:
        raise NotFound("this is not a concept question")
    picks = _parse_picks(concept, choice, choices or [])
    grade = grade_output(concept, text) if concept.format == "predict_output" else grade_picks(concept, picks)
    review = ConceptReview(
        user_id=user.id,
        question_slug=row.slug,
        question_version=row.version,
        answer=text[:MAX_ANSWER],
        explanation=explanation[:MAX_ANSWER] if concept.format == "predict_output" else "",
        choice=next(iter(picks)) if concept.format == "multiple_choice" and picks else None,
        choices=sorted(picks) if concept.format == "multiple_select" else None,
        correct=grade.correct,
    )
    db.add(review)
    db.flush()
    if wants_json(request):
        return JSONResponse(answer_json(review, concept, grade, slug), status_code=201)
    return RedirectResponse(f"/questions/{slug}?review={review.id}#reveal", 303)


@router.post("/questions/{slug}/rate", dependencies=[Csrf])
def rate(
    slug: str,
    db: SessionDep,
    user: PageUserRequired,
    review: Annotated[int, Form()] = 0,
    rating: Annotated[str, Form()] = "",
) -> Response:
    own = _own_review(db, user, review, slug)
    if own is None:
        raise NotFound("no such answer")
    if rating not in RATINGS:
        raise Invalid("rate with again, hard, good or easy")
    own.rating = rating
    own.rated_at = utcnow()
    db.flush()
    return RedirectResponse(f"/practice/next?after={slug}", 303)
