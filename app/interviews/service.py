"""Interview sessions: create, open by candidate token, drafts, submissions, end, report.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.core.database import settings_of, utcnow
from app.core.errors import Gone, Invalid, NotFound, PayloadTooLarge
from app.core.security import new_token, token_digest
from app.questions.models import QuestionVersion
from app.questions.service import get_current, public_view
from app.rubrics.defaults import default_snapshot
from app.rubrics.service import snapshot_for_session
from app.submissions.models import Submission
from app.submissions.service import create_submission
from app.teams.service import teammate_ids

from . import takehome
from .models import InterviewEvent, InterviewSession
from .timeline import add_event, last_event

DRAFT_MERGE_S = 10.0  # drafts closer together than this update one timeline entry


def create_session(
    db: Session,
    interviewer: User,
    *,
    questions: list[str],
    framework: str,
    duration_min: int,
    title: str = "",
    candidate_name: str = "",
    rubric_id: str | int | None = None,
) -> tuple[InterviewSession, str]:
    """A new session and its candidate token (returned once; only its digest is stored).
    The session keeps a copy of its rubric (see `snapshot_for_session`)."""
    rubric = snapshot_for_session(db, interviewer, rubric_id)
    pinned: list[dict[str, Any]] = []
    for slug in dict.fromkeys(questions):
        row = get_current(db, slug)
        if row.kind == "coding" and framework not in row.frameworks:
            raise Invalid(f"'{slug}' has no {framework} version", question=slug)
        pinned.append({"slug": row.slug, "question_id": row.id, "version": row.version})
    if not pinned:
        raise Invalid("a session needs at least one question")
    token = new_token()
    hours = settings_of(db).interview_link_valid_hours
    session = InterviewSession(
        interviewer_id=interviewer.id,
        title=title or f"Interview: {', '.join(p['slug'] for p in pinned)}",
        candidate_name=candidate_name,
        framework=framework,
        duration_min=duration_min,
        questions=pinned,
        token_digest=token_digest(token),
        link_expires_at=utcnow() + timedelta(hours=hours),
        rubric=rubric,
    )
    db.add(session)
    db.flush()
    add_event(db, session.id, "created", data={"questions": [p["slug"] for p in pinned]})
    return session, token


def rotate_link(db: Session, session: InterviewSession) -> str:
    """A fresh candidate token; the old link stops working."""
    token = new_token()
    session.token_digest = token_digest(token)
    return token


def expiry_reason(session: InterviewSession, now: datetime | None = None) -> str | None:
    now = now or utcnow()
    if takehome.is_take_home(session):
        return takehome.closed_reason(session, now)
    if session.ended_at is not None:
        return "the interviewer ended this session"
    if session.ends_at is not None and now >= session.ends_at:
        return "the session's time is up"
    if session.started_at is None and now >= session.link_expires_at:
        return "this link has expired"
    return None


def get_by_candidate_token(db: Session, token: str) -> InterviewSession:
    """The live session for a candidate link: 404 if unknown, 410 once it has ended."""
    session = db.scalar(select(InterviewSession).where(InterviewSession.token_digest == token_digest(token)))
    if session is None:
        raise NotFound("no such interview link")
    reason = expiry_reason(session)
    if reason is not None:
        raise Gone(reason)
    return session


def open_session(db: Session, session: InterviewSession) -> None:
    """The candidate's first visit starts the clock."""
    if session.started_at is None:
        now = utcnow()
        if takehome.is_take_home(session):
            takehome.start_clock(settings_of(db), session, now)  # inside its window only
        else:
            session.started_at, session.ends_at = now, now + timedelta(minutes=session.duration_min)
        add_event(db, session.id, "opened")


def pinned_question(db: Session, session: InterviewSession, slug: str) -> QuestionVersion:
    for entry in session.questions:
        if entry["slug"] == slug:
            row = db.get(QuestionVersion, entry["question_id"])
            if row is not None:
                return row
    raise NotFound(f"'{slug}' is not part of this interview", question=slug)


def candidate_view(db: Session, session: InterviewSession) -> dict[str, Any]:
    remaining = (session.ends_at - utcnow()).total_seconds() if session.ends_at else None
    return {
        "title": session.title,
        "candidate_name": session.candidate_name,
        "framework": session.framework,
        "duration_min": session.duration_min,
        "started_at": session.started_at,
        "ends_at": session.ends_at,
        "remaining_s": max(0.0, remaining) if remaining is not None else None,
        "questions": [public_view(pinned_question(db, session, q["slug"])) for q in session.questions],
    }


def record_draft(db: Session, session: InterviewSession, slug: str, code: str) -> None:
    """Keep the candidate's editor content on the timeline (merged when typed in quick bursts)."""
    limit = settings_of(db).max_code_bytes
    if len(code.encode("utf-8", errors="surrogatepass")) > limit:
        raise PayloadTooLarge(f"the draft is over the {limit // 1024} KiB limit")
    pinned_question(db, session, slug)
    takehome.require_started(session)
    previous = last_event(db, session.id, "draft", slug)
    if previous is not None and (utcnow() - previous.at).total_seconds() < DRAFT_MERGE_S:
        previous.data = {"code": code, "framework": session.framework}
        previous.at = utcnow()
        return
    add_event(db, session.id, "draft", question=slug, data={"code": code, "framework": session.framework})


def candidate_submit(db: Session, session: InterviewSession, slug: str, code: str, mode: str) -> Submission:
    row = pinned_question(db, session, slug)
    # Lock the session row so that concurrent submits count against the limit one by one.
    db.execute(select(InterviewSession.id).where(InterviewSession.id == session.id).with_for_update())
    takehome.refuse_if_handed_in(db, session)  # the hand-in holds the same lock while it claims
    submission = create_submission(
        db, question=row, framework=session.framework, code=code, mode=mode, interview_id=session.id
    )
    add_event(db, session.id, mode, question=slug, submission_id=submission.id, data={"code": code})
    return submission


def list_for_interviewer(db: Session, user: User) -> list[InterviewSession]:
    query = select(InterviewSession).order_by(InterviewSession.created_at.desc())
    if not user.has_role(Role.ADMIN):
        query = query.where(InterviewSession.interviewer_id.in_(teammate_ids(db, user)))
    return list(db.scalars(query.limit(200)))


def get_for_interviewer(db: Session, user: User, session_id: int) -> InterviewSession:
    """A session of the interviewer or of their team (admins see all); others answer 404."""
    session = db.get(InterviewSession, session_id)
    if session is None or not (user.has_role(Role.ADMIN) or session.interviewer_id in teammate_ids(db, user)):
        raise NotFound("no such interview session")
    return session


def session_submissions(db: Session, session: InterviewSession) -> list[Submission]:
    return list(
        db.scalars(select(Submission).where(Submission.interview_id == session.id).order_by(Submission.created_at))
    )


def end_session(db: Session, session: InterviewSession) -> None:
    if session.ended_at is None:
        session.ended_at = utcnow()
        add_event(db, session.id, "ended")


def session_rubric(session: InterviewSession) -> dict[str, Any]:
    """The rubric the session is scored against (sessions older than rubrics: the shipped one)."""
    return session.rubric or default_snapshot()


def check_scorecard(db: Session, session: InterviewSession, scorecard: dict[str, Any]) -> None:
    """Rubric scores name the session's criteria, score 1 to 4, and cite its own timeline."""
    criteria: dict[str, Any] = scorecard.get("criteria") or {}
    if not criteria:
        return
    keys = [c["key"] for c in session_rubric(session)["criteria"]]
    unknown = sorted(set(criteria) - set(keys))
    if unknown:
        raise Invalid(
            f"{', '.join(unknown)}: not a criterion of this session's rubric (its criteria: {', '.join(keys)})",
            criteria=unknown,
        )
    evidence: set[int] = set()
    for key, entry in criteria.items():
        score = entry.get("score")
        if score is not None and (not isinstance(score, int) or not 1 <= score <= 4):
            raise Invalid(f"{key}: a rubric score is 1, 2, 3 or 4", criterion=key)
        evidence.update(entry.get("evidence") or [])
    if evidence:
        found = set(
            db.scalars(
                select(InterviewEvent.id).where(
                    InterviewEvent.interview_id == session.id, InterviewEvent.id.in_(evidence)
                )
            )
        )
        missing = sorted(evidence - found)
        if missing:
            raise Invalid(
                f"evidence {', '.join(map(str, missing))}: not an entry of this session's timeline",
                evidence=missing,
            )


def save_scorecard(db: Session, session: InterviewSession, scorecard: dict[str, Any]) -> None:
    check_scorecard(db, session, scorecard)
    session.scorecard = scorecard
    add_event(db, session.id, "note", data={"scorecard": scorecard})
