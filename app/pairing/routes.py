"""The document sockets: one per (session, question), for the interviewer and for the candidate.

Authorised exactly as the session's room sockets are (same origin, the interviewer's session
or team, the candidate's link; the same caps on open sockets), plus: the question must be one of
the session's, and its document is seeded before the socket opens. The candidate's page reaches
the same handler by its link cookie (`app.pages.candidate`).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, WebSocket

from app.core.database import Database
from app.events.limits import Lease
from app.events.sockets import Authorise, open_socket
from app.interviews.models import InterviewSession
from app.interviews.routes import candidate_room_access, interviewer_room_access
from app.interviews.service import expiry_reason

from .service import CANDIDATE, INTERVIEWER, seed_doc
from .socket import DocGrant, serve_doc

router = APIRouter(tags=["pair editing"])


def doc_access(room_access: Authorise, slug: str, role: str) -> Callable[[Database], tuple[DocGrant, str]]:
    """The room's authorisation, then the document's: a question of this session, seeded."""

    def authorise(database: Database) -> tuple[DocGrant, str]:
        interview_id, owner = room_access(database)
        with database.session() as db:
            session = db.get(InterviewSession, interview_id)
            assert session is not None  # the room's check has just read it
            seed_doc(db, session, slug)
            name = (session.candidate_name or "Candidate") if role == CANDIDATE else "Interviewer"
            writable = expiry_reason(session) is None
        return DocGrant(interview_id, slug, role, name, writable), owner

    return authorise


async def open_doc(websocket: WebSocket, role: str, room_access: Authorise, slug: str) -> None:
    database: Database = websocket.app.state.database

    async def serve(grant: DocGrant, lease: Lease) -> None:
        await serve_doc(websocket, database, grant, lease)

    await open_socket(websocket, doc_access(room_access, slug, role), serve)


@router.websocket("/api/interviews/{session_id}/doc/{slug}")
async def interviewer_doc(websocket: WebSocket, session_id: int, slug: str) -> None:
    """The shared code of one question (y-protocols sync and awareness), for the interviewer."""
    await open_doc(websocket, INTERVIEWER, interviewer_room_access(websocket, session_id), slug)


@router.websocket("/api/interview/{token}/doc/{slug}")
async def candidate_doc(websocket: WebSocket, token: str, slug: str) -> None:
    """The same document for the candidate, by the link."""
    await open_doc(websocket, CANDIDATE, candidate_room_access(token), slug)
