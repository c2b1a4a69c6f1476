"""/api/interviews (interviewers) and /api/interview/{token} (the candidate, no account)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sse_starlette.sse import EventSourceResponse

from app.accounts.deps import InterviewerUser
from app.core.deps import DatabaseDep, SessionDep
from app.core.ratelimit import count_link_request
from app.events.limits import link_owner
from app.submissions.schemas import SubmissionAccepted, SubmissionOut
from app.submissions.service import get_for_interview, to_out
from app.submissions.streaming import event_stream

from . import service
from .models import InterviewSession
from .report import report_data
from .schemas import (
    CandidateLink,
    CandidateSubmissionIn,
    DraftIn,
    InterviewCreated,
    InterviewIn,
    InterviewOut,
    Scorecard,
    TimelineEntry,
)
from .timeline import list_timeline

router = APIRouter(tags=["interviews"])
CANDIDATE_PATH = "/interview/{token}"  # the page the pages package serves to candidates


def interview_out(session: InterviewSession) -> InterviewOut:
    return InterviewOut(
        id=session.id,
        title=session.title,
        candidate_name=session.candidate_name,
        framework=session.framework,
        duration_min=session.duration_min,
        questions=[q["slug"] for q in session.questions],
        created_at=session.created_at,
        link_expires_at=session.link_expires_at,
        started_at=session.started_at,
        ends_at=session.ends_at,
        ended_at=session.ended_at,
        active=service.expiry_reason(session) is None,
    )


def _link(request: Request, token: str) -> CandidateLink:
    url = str(request.base_url).rstrip("/") + CANDIDATE_PATH.format(token=token)
    return CandidateLink(candidate_token=token, candidate_url=url)


@router.post("/api/interviews", status_code=201, response_model=InterviewCreated)
def create_interview(body: InterviewIn, request: Request, db: SessionDep, user: InterviewerUser) -> InterviewCreated:
    session, token = service.create_session(
        db,
        user,
        questions=body.questions,
        framework=body.framework,
        duration_min=body.duration_min,
        title=body.title,
        candidate_name=body.candidate_name,
    )
    link = _link(request, token)
    return InterviewCreated(**interview_out(session).model_dump(), **link.model_dump())


@router.get("/api/interviews", response_model=list[InterviewOut])
def list_interviews(db: SessionDep, user: InterviewerUser) -> list[InterviewOut]:
    return [interview_out(s) for s in service.list_for_interviewer(db, user)]


@router.get("/api/interviews/{session_id}", response_model=InterviewOut)
def get_interview(session_id: int, db: SessionDep, user: InterviewerUser) -> InterviewOut:
    return interview_out(service.get_for_interviewer(db, user, session_id))


@router.post("/api/interviews/{session_id}/link", response_model=CandidateLink)
def new_link(session_id: int, request: Request, db: SessionDep, user: InterviewerUser) -> CandidateLink:
    """A new candidate link; the previous one stops working."""
    session = service.get_for_interviewer(db, user, session_id)
    return _link(request, service.rotate_link(db, session))


@router.post("/api/interviews/{session_id}/end", response_model=InterviewOut)
def end_interview(session_id: int, db: SessionDep, user: InterviewerUser) -> InterviewOut:
    session = service.get_for_interviewer(db, user, session_id)
    service.end_session(db, session)
    return interview_out(session)


@router.get("/api/interviews/{session_id}/submissions", response_model=list[SubmissionOut])
def interview_submissions(session_id: int, db: SessionDep, user: InterviewerUser) -> list[SubmissionOut]:
    session = service.get_for_interviewer(db, user, session_id)
    return [to_out(s) for s in service.session_submissions(db, session)]


@router.get("/api/interviews/{session_id}/timeline", response_model=list[TimelineEntry])
def interview_timeline(session_id: int, db: SessionDep, user: InterviewerUser, after: int = 0) -> list[TimelineEntry]:
    session = service.get_for_interviewer(db, user, session_id)
    return [TimelineEntry.model_validate(e, from_attributes=True) for e in list_timeline(db, session.id, after)]


@router.get("/api/interviews/{session_id}/report")
def interview_report(session_id: int, db: SessionDep, user: InterviewerUser) -> dict[str, Any]:
    return report_data(db, service.get_for_interviewer(db, user, session_id))


@router.put("/api/interviews/{session_id}/scorecard", status_code=204)
def put_scorecard(session_id: int, body: Scorecard, db: SessionDep, user: InterviewerUser) -> None:
    service.save_scorecard(db, service.get_for_interviewer(db, user, session_id), body.model_dump())


# The candidate's side: the token in the path is the only credential. Every request counts
# against that link's rate limit; the access log shows the path with the token redacted.
LinkLimit = Depends(count_link_request)


@router.get("/api/interview/{token}", dependencies=[LinkLimit])
def candidate_session(token: str, db: SessionDep) -> dict[str, Any]:
    session = service.get_by_candidate_token(db, token)
    service.open_session(db, session)
    return service.candidate_view(db, session)


@router.put("/api/interview/{token}/draft", status_code=204, dependencies=[LinkLimit])
def candidate_draft(token: str, body: DraftIn, db: SessionDep) -> None:
    session = service.get_by_candidate_token(db, token)
    service.record_draft(db, session, body.question, body.code)


@router.post(
    "/api/interview/{token}/submissions",
    status_code=202,
    response_model=SubmissionAccepted,
    dependencies=[LinkLimit],
)
def candidate_submit(token: str, body: CandidateSubmissionIn, db: SessionDep) -> JSONResponse:
    session = service.get_by_candidate_token(db, token)
    service.open_session(db, session)
    submission = service.candidate_submit(db, session, body.question, body.code, body.mode)
    events_url = f"/api/interview/{token}/submissions/{submission.id}/events"
    return JSONResponse(SubmissionAccepted(id=submission.id, events_url=events_url).model_dump(), status_code=202)


@router.get(
    "/api/interview/{token}/submissions/{submission_id}", response_model=SubmissionOut, dependencies=[LinkLimit]
)
def candidate_submission(token: str, submission_id: str, db: SessionDep) -> SubmissionOut:
    session = service.get_by_candidate_token(db, token)
    return to_out(get_for_interview(db, session.id, submission_id))


@router.get("/api/interview/{token}/submissions/{submission_id}/events", response_class=EventSourceResponse)
def candidate_submission_events(
    token: str,
    submission_id: str,
    db: SessionDep,
    database: DatabaseDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    session = service.get_by_candidate_token(db, token)
    get_for_interview(db, session.id, submission_id)
    return event_stream(database, submission_id, last_event_id, owner=link_owner(session.id))
