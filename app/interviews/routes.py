"""/api/interviews (interviewers) and /api/interview/{token} (the candidate, no account)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from sse_starlette.sse import EventSourceResponse

from app.accounts.deps import InterviewerUser, authenticate
from app.accounts.models import Role
from app.accounts.service import SESSION_COOKIE, token_from_cookie, user_for_token
from app.core.database import Database, settings_of
from app.core.deps import DatabaseDep, SessionDep
from app.core.errors import Unauthorized
from app.core.ratelimit import count_link_request
from app.events.capture import interview_channel, interview_payload
from app.events.limits import account_owner, link_owner
from app.events.sockets import Authorise, open_room
from app.events.streams import open_stream, whole_frame
from app.pairing.service import graded_code
from app.submissions.schemas import SubmissionAccepted, SubmissionOut
from app.submissions.service import get_for_interview, to_out
from app.submissions.streaming import event_stream

from . import service, takehome
from .followups import part_labels
from .integrity import integrity_data, record_signal
from .loader import load_session_record
from .models import InterviewSession
from .playback import playback_data, playback_json
from .report import report_data
from .schemas import (
    CandidateLink,
    CandidateSubmissionIn,
    DraftIn,
    InterviewCreated,
    InterviewIn,
    InterviewOut,
    Scorecard,
    SignalIn,
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
        rubric=session.rubric,
        take_home=takehome.summary(session),
    )


def _link(request: Request, token: str) -> CandidateLink:
    url = str(request.base_url).rstrip("/") + CANDIDATE_PATH.format(token=token)
    return CandidateLink(candidate_token=token, candidate_url=url)


@router.post("/api/interviews", status_code=201, response_model=InterviewCreated)
def create_interview(body: InterviewIn, request: Request, db: SessionDep, user: InterviewerUser) -> InterviewCreated:
    window = None
    if body.take_home is not None:
        window = takehome.check_window(
            settings_of(db), body.take_home.opens_at, body.take_home.closes_at, body.duration_min
        )
    session, token = service.create_session(
        db,
        user,
        questions=body.questions,
        framework=body.framework,
        duration_min=body.duration_min,
        title=body.title,
        candidate_name=body.candidate_name,
        rubric_id=body.rubric_id,
    )
    if window is not None:
        takehome.apply_window(session, window)
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
    session = service.get_for_interviewer(db, user, session_id)
    record = load_session_record(db, session)
    return {
        **report_data(record),
        "integrity": integrity_data(db, record, user),
        "take_home": takehome.report_section(record),
    }


@router.get("/api/interviews/{session_id}/playback/{question}", response_class=Response)
def interview_playback(
    session_id: int, question: Annotated[str, Path(max_length=64)], db: SessionDep, user: InterviewerUser
) -> Response:
    """The editing history of one question, for the report's player: `initial` text, `frames`
    (`[t_ms, role, position, deleted, inserted, ...]`, positions in UTF-16 units), `roles`,
    `markers` (each run and submit: its step, verdict, first failing test) and `coalesced`
    (set when a long history was merged into fewer steps). Readable by whoever may read the
    report; see app/interviews/playback.py."""
    session = service.get_for_interviewer(db, user, session_id)
    body = playback_json(playback_data(db, session, question))
    return Response(body, media_type="application/json", headers={"Cache-Control": "private, no-store"})


@router.put("/api/interviews/{session_id}/scorecard", status_code=204)
def put_scorecard(session_id: int, body: Scorecard, db: SessionDep, user: InterviewerUser) -> None:
    service.save_scorecard(db, service.get_for_interviewer(db, user, session_id), body.model_dump())


@router.get(
    "/api/interviews/{session_id}/events",
    response_class=EventSourceResponse,
    responses={429: {"description": "too many open streams for this account or this server"}},
)
def interview_events(
    session_id: int,
    request: Request,
    database: DatabaseDep,
    after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    """The session's timeline, live: entries after `after` (or `Last-Event-ID` on a reconnect),
    then each new one as it is stored; a draft typed in bursts comes again with `update: true`.
    Authorised in one session, closed before the stream starts (see `authenticate`)."""
    with database.session() as db:
        user = authenticate(request, db, Role.INTERVIEWER)
        session = service.get_for_interviewer(db, user, session_id)

    def replay(after_id: int) -> list[dict[str, Any]]:
        with database.session() as replay_db:
            return [interview_payload(e) for e in list_timeline(replay_db, session.id, after_id)]

    return open_stream(
        database.settings,
        interview_channel(session.id),
        replay,
        owner=account_owner(user.id),
        last_event_id=last_event_id or str(after),
        frame=whole_frame,
    )


@router.websocket("/api/interviews/{session_id}/room")
async def interviewer_room(websocket: WebSocket, session_id: int) -> None:
    """The session's live room (the candidate's code as they type), for its interviewer."""
    await open_room(websocket, "interviewer", interviewer_room_access(websocket, session_id))


def interviewer_room_access(websocket: WebSocket, session_id: int) -> Authorise:
    """Authorises a socket of the session's interviewer (or their team), by bearer or cookie."""

    def authorise(database: Database) -> tuple[int, str]:
        with database.session() as db:
            header = websocket.headers.get("authorization", "")
            cookie = websocket.cookies.get(SESSION_COOKIE)
            token = header[7:].strip() if header.lower().startswith("bearer ") else None
            token = token or (token_from_cookie(db, cookie) if cookie else None)
            user = user_for_token(db, token) if token else None
            if user is None or not user.has_role(Role.INTERVIEWER):
                raise Unauthorized("log in as this session's interviewer")
            return service.get_for_interviewer(db, user, session_id).id, account_owner(user.id)

    return authorise


@router.websocket("/api/interview/{token}/room")
async def candidate_room(websocket: WebSocket, token: str) -> None:
    """The same room for the candidate, by the link: the editor sends its code here."""
    await open_room(websocket, "candidate", candidate_room_access(token))


def candidate_room_access(token: str) -> Any:
    def authorise(database: Database) -> tuple[int, str]:
        with database.session() as db:
            session = service.get_by_candidate_token(db, token)
            return session.id, link_owner(session.id)

    return authorise


# The candidate's side: the token in the path is the only credential. Every request counts
# against that link's rate limit; the access log shows the path with the token redacted.
LinkLimit = Depends(count_link_request)


@router.get("/api/interview/{token}", dependencies=[LinkLimit])
def candidate_session(token: str, db: SessionDep) -> dict[str, Any]:
    """The session (opening it starts a live session's clock); a take-home not yet started
    shows only its window, duration and rules until `POST .../start`."""
    session = service.get_by_candidate_token(db, token)
    if takehome.is_take_home(session) and session.started_at is None:
        return takehome.start_view(db, session)
    service.open_session(db, session)
    return _candidate_view(db, session)


@router.post(
    "/api/interview/{token}/start",
    dependencies=[LinkLimit],
    responses={409: {"description": "the take-home's window is not open yet"}},
)
def candidate_start(token: str, db: SessionDep) -> dict[str, Any]:
    """Start the clock (a take-home: only inside its window); starting again changes nothing."""
    session = service.get_by_candidate_token(db, token)
    service.open_session(db, session)
    return _candidate_view(db, session)


def _candidate_view(db: Session, session: InterviewSession) -> dict[str, Any]:
    """The candidate's view, each part marked with the part it follows up (if any)."""
    view = service.candidate_view(db, session)
    view["questions"] = [q | part_labels(p) for q, p in zip(view["questions"], session.questions, strict=True)]
    return view


@router.put("/api/interview/{token}/draft", status_code=204, dependencies=[LinkLimit])
def candidate_draft(token: str, body: DraftIn, db: SessionDep) -> None:
    session = service.get_by_candidate_token(db, token)
    service.record_draft(db, session, body.question, body.code)


@router.post(
    "/api/interview/{token}/signals",
    status_code=204,
    dependencies=[LinkLimit],
    responses={429: {"description": "the session has as many signals as it keeps"}},
)
def candidate_signal(token: str, body: SignalIn, db: SessionDep) -> None:
    """A paste into the editor or a time away from the page, for the interviewer's timeline.
    The candidate cannot read these back."""
    record_signal(db, service.get_by_candidate_token(db, token), body)


@router.post(
    "/api/interview/{token}/submissions",
    status_code=202,
    response_model=SubmissionAccepted,
    dependencies=[LinkLimit],
)
def candidate_submit(token: str, body: CandidateSubmissionIn, db: SessionDep) -> JSONResponse:
    session = service.get_by_candidate_token(db, token)
    service.open_session(db, session)
    # The posted code becomes the question's shared document, which is what is graded.
    code = graded_code(db, session, body.question, body.code, None)
    submission = service.candidate_submit(db, session, body.question, code, body.mode)
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
    database: DatabaseDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    with database.session() as db:  # one session, closed before the stream starts
        session = service.get_by_candidate_token(db, token)
        get_for_interview(db, session.id, submission_id)
        owner = link_owner(session.id)
    return event_stream(database, submission_id, last_event_id, owner=owner)
