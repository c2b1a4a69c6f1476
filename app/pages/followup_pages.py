"""The live view's follow-up buttons: push one of a part's follow-ups without leaving the page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from app.core.deps import SessionDep
from app.core.errors import DojoError
from app.interviews import service as interviews
from app.interviews.followups import push_followup

from .deps import Csrf, PageInterviewer, PageRoute
from .templating import set_flash

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.post("/interviews/{session_id}/followups", dependencies=[Csrf])
def push(
    session_id: int,
    db: SessionDep,
    user: PageInterviewer,
    parent: Annotated[str, Form(max_length=64)],
    question: Annotated[str, Form(max_length=64)],
) -> Response:
    session = interviews.get_for_interviewer(db, user, session_id)
    response = RedirectResponse(f"/interviews/{session.id}/live?part={quote(question, safe='')}", 303)
    try:
        part, created = push_followup(db, user, session, parent, question)
    except DojoError as error:
        response = RedirectResponse(f"/interviews/{session.id}/live?part={quote(parent, safe='')}", 303)
        set_flash(response, "error", error.message)
        return response
    if created:
        set_flash(response, "info", f"Follow-up pushed: the candidate now sees “{part['ask']}”")
    return response
