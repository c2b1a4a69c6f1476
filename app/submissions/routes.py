"""/api/submissions: submit code, read the verdict, follow progress as server-sent events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from sse_starlette.sse import EventSourceResponse

from app.accounts.deps import CurrentUser, SubmittingUser, authenticate
from app.core.deps import DatabaseDep, SessionDep
from app.events.limits import account_owner

from . import service
from .schemas import RuntimePoint, SubmissionAccepted, SubmissionIn, SubmissionOut
from .streaming import event_stream

router = APIRouter(tags=["submissions"])


@router.post(
    "/api/submissions",
    status_code=202,
    response_model=SubmissionAccepted,
    responses={
        413: {"description": "code over the size limit"},
        429: {"description": "too many waiting, or the hourly quota is used up (Retry-After)"},
    },
)
def submit(body: SubmissionIn, db: SessionDep, user: SubmittingUser) -> JSONResponse:
    submission = service.create_submission(
        db,
        question=body.question,
        framework=body.framework,
        code=body.code,
        mode=body.mode,
        user=user,
    )
    accepted = SubmissionAccepted(id=submission.id, events_url=f"/api/submissions/{submission.id}/events")
    return JSONResponse(accepted.model_dump(), status_code=202)


@router.get("/api/submissions", response_model=list[SubmissionOut])
def list_submissions(
    db: SessionDep,
    user: CurrentUser,
    question: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[SubmissionOut]:
    rows = service.list_for_user(db, user, question, limit)
    return [service.to_out(row, with_code=False) for row in rows]


@router.get("/api/submissions/{submission_id}", response_model=SubmissionOut)
def get_submission(submission_id: str, db: SessionDep, user: CurrentUser) -> SubmissionOut:
    return service.to_out(service.get_for_user(db, user, submission_id))


@router.get(
    "/api/submissions/{submission_id}/events",
    response_class=EventSourceResponse,
    responses={429: {"description": "too many open streams for this account or this server"}},
)
def submission_events(
    submission_id: str,
    request: Request,
    database: DatabaseDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    """queued, running, each test, timing, then the verdict; the stream ends after the verdict.

    Authorised once here, in one session that is closed before the stream starts (see
    `authenticate`); 429 past the account's cap on open streams."""
    with database.session() as db:
        user = authenticate(request, db)
        service.get_for_user(db, user, submission_id)
        owner = account_owner(user.id)
    return event_stream(database, submission_id, last_event_id, owner=owner)


@router.get("/api/questions/{slug}/runtimes", response_model=list[RuntimePoint])
def runtimes(
    slug: str,
    db: SessionDep,
    framework: Annotated[str | None, Query(pattern="^(torch|jax)$")] = None,
) -> list[dict[str, object]]:
    """Median call times of accepted submissions, for a distribution chart."""
    return service.accepted_runtimes(db, slug, framework)
