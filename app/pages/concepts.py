"""Concept questions as practice cards: answer, reveal the model answer, rate how well you knew it.

The pages only: the deck, grading, scheduling and stored answers are in `app.concepts`. The
model answer is only rendered for a stored answer of the user's own.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.concepts import service as concepts
from app.concepts.grading import OUTPUT_RULE
from app.core.deps import SessionDep
from app.questions import service as questions
from app.questions.models import QuestionVersion

from .deps import Csrf, PageRoute, PageUserOptional, PageUserRequired, wants_json
from .templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


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
    review = concepts.own_review(db, user, review_id, row.slug)
    cards = concepts.deck(db, user)
    position = next((i for i, c in enumerate(cards) if c.slug == row.slug), 0)
    context: dict[str, Any] = {
        "section": "practice",
        "q": view,
        "concept": view["concept"],
        "review": review,
        "ratings": concepts.RATINGS,
        "deck_position": position + 1,
        "deck_size": len(cards),
        "due_count": concepts.due_count(cards),
    }
    context["output_rule"] = OUTPUT_RULE
    if review is not None:
        # Only now, for the user's own stored answer, does the model answer leave the server.
        context.update(concepts.reveal(concept, review))
    return render(request, "concepts/card.html", context)


@router.get("/practice")
def practice_deck(request: Request, db: SessionDep, user: PageUserOptional) -> Response:
    cards = concepts.deck(db, user)
    topics = sorted({c.topic for c in cards})
    context = {
        "section": "practice",
        "cards": cards,
        "topics": topics,
        "due_count": concepts.due_count(cards),
        "ratings": concepts.RATINGS,
    }
    return render(request, "concepts/deck.html", context)


@router.get("/practice/next")
def next_card(db: SessionDep, user: PageUserOptional, after: str = "") -> Response:
    card = concepts.next_card(concepts.deck(db, user), after)
    if card is None:
        return RedirectResponse("/practice", 303)
    return RedirectResponse(f"/questions/{card.slug}", 303)


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
    concept = concepts.concept_of(row)
    review, grade = concepts.store_answer(
        db, user, row, concept, text=text, explanation=explanation, choice=choice, choices=choices
    )
    if wants_json(request):
        return JSONResponse(concepts.answer_json(review, concept, grade, slug), status_code=201)
    return RedirectResponse(f"/questions/{slug}?review={review.id}#reveal", 303)


@router.post("/questions/{slug}/rate", dependencies=[Csrf])
def rate(
    slug: str,
    db: SessionDep,
    user: PageUserRequired,
    review: Annotated[int, Form()] = 0,
    rating: Annotated[str, Form()] = "",
) -> Response:
    concepts.rate(db, user, review, slug, rating)
    return RedirectResponse(f"/practice/next?after={slug}", 303)
