"""The candidate's interview pages. No account: the link is the credential.

The link (`/interview/<token>`) is opened once: the token is exchanged for an HttpOnly cookie
and the browser is sent to `/interview`, so the token stays out of the address bar, the history,
Referer headers and the access log. The cookie holds the signed token itself, so it works only
while the link does: a new link or the end of the session stops it too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Request, WebSocket
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sse_starlette.sse import EventSourceResponse

from app.core.database import utcnow
from app.core.deps import DatabaseDep, SessionDep
from app.core.errors import Gone, Invalid, NotFound
from app.core.ratelimit import count_link_request
from app.core.security import sign_cookie, unsign_cookie
from app.events.limits import link_owner
from app.events.sockets import open_room
from app.interviews import service as interviews
from app.interviews import takehome
from app.interviews.followups import part_entry
from app.interviews.integrity import record_signal
from app.interviews.loader import load_session_record
from app.interviews.models import InterviewSession
from app.interviews.routes import candidate_room_access
from app.interviews.schemas import DraftIn, SignalIn
from app.pairing.routes import open_doc
from app.pairing.service import CANDIDATE, graded_code, shared_text
from app.questions import service as questions
from app.submissions import service as submissions
from app.submissions.streaming import event_stream

from . import interview_views as views
from .deps import Csrf, PageRoute, wants_json
from .templating import render
from .verdicts import verdict_view

router = APIRouter(route_class=PageRoute, include_in_schema=False)
BASE = "/interview"
LINK_COOKIE = "dojo_interview"
_SALT = "dojo-interview-link"
PAGE_HEADERS = {"Referrer-Policy": "same-origin", "Cache-Control": "no-store"}


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key.get_secret_value())


def _cookie_max_age(request: Request) -> int:
    return int(request.app.state.settings.interview_link_valid_hours) * 3600


def link_token(request: Request) -> str:
    """The link token from the cookie, counted against the link's rate limit."""
    signed = request.cookies.get(LINK_COOKIE)
    token = unsign_cookie(_secret(request), signed, _cookie_max_age(request), salt=_SALT) if signed else None
    if not token:
        raise NotFound("open the interview link your interviewer sent you")
    count_link_request(request, token)
    return token


LinkToken = Annotated[str, Depends(link_token)]


def _closed(request: Request, reason: str) -> Response:
    # A normal page (200): the link worked, the session is over; browsers log 4xx as errors.
    return render(request, "candidate/closed.html", {"reason": reason}, headers=PAGE_HEADERS)


@router.get(BASE)
def candidate_page(request: Request, token: LinkToken, db: SessionDep, q: str = "") -> Response:
    try:
        session = interviews.get_by_candidate_token(db, token)
    except Gone as exc:
        return _closed(request, exc.message)
    if session.started_at is None and takehome.is_take_home(session):
        context = {"s": session, "base": BASE, "view": takehome.start_view(db, session)}
        return render(request, "candidate/take_home_start.html", context, headers=PAGE_HEADERS)
    if session.started_at is None:
        context = {"s": session, "base": BASE, "titles": views.question_titles(load_session_record(db, session))}
        return render(request, "candidate/start.html", context, headers=PAGE_HEADERS)
    return render(request, "candidate/session.html", _session_context(db, session, q), headers=PAGE_HEADERS)


def _session_context(db: SessionDep, session: InterviewSession, q: str) -> dict[str, Any]:
    slugs = [entry["slug"] for entry in session.questions]
    slug = q if q in slugs else slugs[0]
    record = load_session_record(db, session)
    view = questions.public_view(record.question(slug))
    code = shared_text(db, session, slug)  # the code both sides edit (app.pairing)
    all_subs = record.submissions
    subs = [s for s in all_subs if s.question_slug == slug]
    last = subs[-1] if subs else None
    return {
        "s": session,
        "base": BASE,
        "q": view,
        "slugs": slugs,
        "titles": views.question_titles(record),
        "framework": session.framework,
        "code": code,
        "part": part_entry(session, slug),
        "last": last,
        "last_view": verdict_view(last.verdict) if last is not None and last.verdict else None,
        "server_now": utcnow(),
        "counts": {s: sum(1 for x in all_subs if x.question_slug == s) for s in slugs},
    }


@router.get(f"{BASE}/status")
def candidate_status(token: LinkToken, db: SessionDep) -> Response:
    """Polled by the candidate's page, so it closes when the interviewer ends the session."""
    session = views.session_for_token(db, token)
    reason = interviews.expiry_reason(session)
    body = {
        "open": reason is None,
        "reason": reason,
        "ends_at": session.ends_at.isoformat() if session.ends_at else None,
        # The parts, so that the page switches to a follow-up its room socket did not hear of.
        "parts": [{"question": e["slug"], "followup_of": e.get("followup_of")} for e in session.questions],
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.post(f"{BASE}/start", dependencies=[Csrf])
def candidate_start(request: Request, token: LinkToken, db: SessionDep) -> Response:
    try:
        session = interviews.get_by_candidate_token(db, token)
    except Gone as exc:
        return _closed(request, exc.message)
    interviews.open_session(db, session)
    return RedirectResponse(BASE, 303)


@router.put(f"{BASE}/draft", status_code=204, dependencies=[Csrf])
def candidate_draft(body: DraftIn, token: LinkToken, db: SessionDep) -> Response:
    session = interviews.get_by_candidate_token(db, token)
    interviews.record_draft(db, session, body.question, body.code)
    return Response(status_code=204)


@router.post(f"{BASE}/signals", status_code=204, dependencies=[Csrf])
def candidate_signal(body: SignalIn, token: LinkToken, db: SessionDep) -> Response:
    """The page's paste and hidden-time signals, by the link cookie (see /api/interview/<token>/signals)."""
    record_signal(db, interviews.get_by_candidate_token(db, token), body)
    return Response(status_code=204)


@router.post(f"{BASE}/submissions", dependencies=[Csrf])
def candidate_submit(
    request: Request,
    token: LinkToken,
    db: SessionDep,
    question: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "run",
    doc_snapshot: Annotated[str | None, Form()] = None,
    doc_state: Annotated[str | None, Form()] = None,
) -> Response:
    if mode not in ("run", "submit"):
        raise Invalid("mode must be run or submit")
    try:
        session = interviews.get_by_candidate_token(db, token)
    except Gone as exc:
        if wants_json(request):
            raise
        return _closed(request, exc.message)
    interviews.open_session(db, session)
    # The shared document is what is graded (the page sends its Yjs snapshot as doc_snapshot;
    # a page loaded before snapshots sends its state vector as doc_state).
    code = graded_code(db, session, question, code, doc_snapshot, doc_state)
    sub = interviews.candidate_submit(db, session, question, code, mode)
    if wants_json(request):
        body = {
            "id": sub.id,
            "events_url": f"{BASE}/submissions/{sub.id}/events",
            "panel_url": f"{BASE}/submissions/{sub.id}/panel",
        }
        return JSONResponse(body, status_code=202)
    return RedirectResponse(f"{BASE}?q={question}", 303)


@router.get(f"{BASE}/submissions/{{submission_id}}/panel")
def candidate_panel(request: Request, submission_id: str, token: LinkToken, db: SessionDep) -> Response:
    # A result that lands after the time is up is still shown to the candidate.
    session = views.session_for_token(db, token)
    sub = submissions.get_for_interview(db, session.id, submission_id)
    context = {"sub": sub, "v": verdict_view(sub.verdict) if sub.verdict else None, "chart": None}
    return render(request, "partials/result.html", context)


@router.get(f"{BASE}/submissions/{{submission_id}}/events", response_class=EventSourceResponse)
def candidate_events(
    submission_id: str,
    token: LinkToken,
    database: DatabaseDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    """The same stream as /api/interview/<token>/submissions/<id>/events, by the link cookie."""
    with database.session() as db:  # one session, closed before the stream starts
        session = interviews.get_by_candidate_token(db, token)
        submissions.get_for_interview(db, session.id, submission_id)
        owner = link_owner(session.id)
    return event_stream(database, submission_id, last_event_id, owner=owner)


def socket_link_token(websocket: WebSocket) -> str:
    """The link token from a socket's cookie ("" when there is none or it is not ours)."""
    settings = websocket.app.state.settings
    signed = websocket.cookies.get(LINK_COOKIE)
    max_age = int(settings.interview_link_valid_hours) * 3600
    token = unsign_cookie(settings.secret_key.get_secret_value(), signed, max_age, salt=_SALT) if signed else None
    return token or ""


@router.websocket(f"{BASE}/room")
async def candidate_room(websocket: WebSocket) -> None:
    """The interview's live room by the link cookie: the editor sends its code as it is typed."""
    await open_room(websocket, "candidate", candidate_room_access(socket_link_token(websocket)))


@router.websocket(f"{BASE}/doc/{{slug}}")
async def candidate_doc(websocket: WebSocket, slug: str) -> None:
    """A question's shared document by the link cookie (see app.pairing.routes)."""
    await open_doc(websocket, CANDIDATE, candidate_room_access(socket_link_token(websocket)), slug)


@router.get(f"{BASE}/{{token}}")
def open_link(request: Request, token: str, db: SessionDep) -> Response:
    """The link itself: exchanged for the cookie, then the page without the token."""
    count_link_request(request, token)
    views.session_for_token(db, token)  # 404 for an unknown link; an ended one shows as closed
    response = RedirectResponse(BASE, 303)
    response.headers.update({"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})
    response.set_cookie(
        LINK_COOKIE,
        sign_cookie(_secret(request), token, salt=_SALT),
        max_age=_cookie_max_age(request),
        httponly=True,
        samesite="lax",
        secure=bool(request.app.state.settings.cookie_secure),
        path=BASE,
    )
    return response
