"""/api/interviews/{id}/followups: the follow-ups an interviewer can push, and pushing one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.accounts.deps import InterviewerUser
from app.core.deps import SessionDep

from . import service
from .followups import followup_menu, part_view, push_followup
from .schemas import FollowUpIn

router = APIRouter(tags=["interviews"])


@router.get("/api/interviews/{session_id}/followups")
def list_followups(session_id: int, db: SessionDep, user: InterviewerUser) -> dict[str, Any]:
    """Per part of the session, the follow-ups its question names, and which are pushed."""
    session = service.get_for_interviewer(db, user, session_id)
    return {"followups": followup_menu(db, session)}


@router.post(
    "/api/interviews/{session_id}/followups",
    status_code=201,
    responses={
        200: {"description": "already pushed: the part as it is"},
        409: {"description": "the session has ended, or the question is already one of its parts"},
    },
)
def push(session_id: int, body: FollowUpIn, db: SessionDep, user: InterviewerUser) -> JSONResponse:
    """Add a follow-up of one of the session's parts; the candidate's page switches to it,
    starting from their last code of the parent."""
    session = service.get_for_interviewer(db, user, session_id)
    part, created = push_followup(db, user, session, body.parent, body.question)
    return JSONResponse(part_view(part), status_code=201 if created else 200)
