"""Take-home sessions: a window to start in, a clock from the start, a hand-in by the server.

The interviewer gives a window (opens at, closes at) and a duration. The candidate may start at
any time inside the window; the clock then runs for the duration but never past the window's
end. At that deadline, or when the interviewer ends the session, the server hands the session
in: each coding question's last saved code (the shared editor's text or the newest draft, run
or submit, whichever is newer) is submitted for grading and marked `auto` on the timeline,
unless the candidate's newest submit already has that code. A session nobody started before
the window closed is marked expired.

`sweep_due` does the handing in. The API's background loop runs it every few seconds; it reads
only the database, so a restart of the API or of a worker loses nothing: the next pass finds
what fell due meanwhile. It is idempotent: a conditional UPDATE of `finalized_at` claims each
session in the same transaction as its submissions, so several API processes, a pass that
crashes half-way or one that runs late submit each session exactly once. A late pass still
submits only what was saved before the deadline, because nothing is accepted after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.core.database import Database, settings_of, utcnow
from app.core.errors import Conflict, DojoError, Gone, Invalid
from app.core.settings import Settings
from app.questions.models import QuestionVersion
from app.submissions.service import create_submission

from .models import InterviewEvent, InterviewSession
from .timeline import add_event

if TYPE_CHECKING:
    from .loader import SessionRecord

log = logging.getLogger(__name__)

MAX_WINDOW = timedelta(days=30)
MAX_LEAD = timedelta(days=366)  # how far ahead a window may open
# A deadline is handed in this long after it passes, so that a draft or submit whose request
# passed the deadline check just before it has committed by then.
SETTLE_S = 2.0
CODE_EVENTS = ("draft", "run", "submit")
STATE_LABELS = {
    "scheduled": "Not started (window not open yet)",
    "not_started": "Not started",
    "in_progress": "In progress",
    "submitting": "Time up: submitting",
    "submitted": "Submitted",
    "expired": "Expired",
}


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime


def is_take_home(session: InterviewSession) -> bool:
    return session.window_closes_at is not None


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def duration_of(settings: Settings, duration_min: int) -> timedelta:
    return timedelta(seconds=duration_min * settings.take_home_minute_s)


def check_window(
    settings: Settings, opens_at: datetime, closes_at: datetime, duration_min: int, now: datetime | None = None
) -> Window:
    """The window, or Invalid saying what is wrong with it (checked before anything is stored)."""
    now = now or utcnow()
    if opens_at.tzinfo is None or closes_at.tzinfo is None:
        raise Invalid("give the window's times with a time zone, for example 2027-01-04T09:00:00Z")
    if closes_at <= opens_at:
        raise Invalid("the window closes before it opens", field="closes_at")
    if closes_at - opens_at > MAX_WINDOW:
        raise Invalid("a take-home window is at most 30 days long", field="closes_at")
    if opens_at - now > MAX_LEAD:
        raise Invalid("the window opens more than a year from now", field="opens_at")
    if closes_at <= now:
        raise Invalid(f"the window has already closed ({_when(closes_at)})", field="closes_at")
    start = max(opens_at, now)
    if closes_at - start < duration_of(settings, duration_min):
        since = "from now" if start == now else "after it opens"
        raise Invalid(
            f"the window must leave the whole {duration_min}-minute duration: it closes at "
            f"{_when(closes_at)}, {round((closes_at - start).total_seconds() / 60)} minutes {since}",
            field="closes_at",
        )
    return Window(opens_at, closes_at)


def apply_window(session: InterviewSession, window: Window) -> None:
    """Make a new session a take-home: its link works until the window closes."""
    session.window_opens_at = window.opens_at
    session.window_closes_at = window.closes_at
    session.link_expires_at = window.closes_at


def start_clock(settings: Settings, session: InterviewSession, now: datetime) -> None:
    """Start a take-home's clock: inside the window only, and never running past its end."""
    assert session.window_opens_at is not None and session.window_closes_at is not None
    if now < session.window_opens_at:
        raise Conflict(
            f"this take-home opens at {_when(session.window_opens_at)}; come back then",
            opens_at=session.window_opens_at.isoformat(),
        )
    session.started_at = now
    session.ends_at = min(now + duration_of(settings, session.duration_min), session.window_closes_at)


def require_started(session: InterviewSession) -> None:
    """Drafts of a take-home exist only once its clock runs (the questions are hidden before)."""
    if is_take_home(session) and session.started_at is None:
        raise Conflict("press Start first: the take-home's clock has not started")


def refuse_if_handed_in(db: Session, session: InterviewSession) -> None:
    """Refuse a submit that passed the deadline check just before the server handed the session
    in. Called with the session's row locked: the hand-in's claim updates that row, so the two
    are ordered, and the candidate's submit is either before the hand-in or refused."""
    if not is_take_home(session):
        return
    handed_in = db.scalar(select(InterviewSession.finalized_at).where(InterviewSession.id == session.id))
    if handed_in is not None:
        raise Gone(closed_reason(session, handed_in) or "this take-home has been handed in")


def closed_reason(session: InterviewSession, now: datetime) -> str | None:
    """Why a take-home's link no longer works, in the candidate's terms; None while it does."""
    assert session.window_closes_at is not None
    if session.ended_at is not None:
        return "the interviewer ended this session"
    if session.started_at is None:
        if now >= session.window_closes_at:
            return f"the window to start this take-home closed at {_when(session.window_closes_at)}"
        return None
    if session.ends_at is not None and now >= session.ends_at:
        return (
            f"the deadline passed at {_when(session.ends_at)}; nothing can be submitted after it, and "
            "the last saved code of each question is submitted for you"
        )
    return None


def state(session: InterviewSession, now: datetime | None = None) -> str:
    """scheduled | not_started | in_progress | submitting | submitted | expired."""
    now = now or utcnow()
    assert session.window_opens_at is not None and session.window_closes_at is not None
    if session.finalized_at is not None:
        return "submitted" if session.started_at is not None else "expired"
    if session.started_at is None:
        if now >= session.window_closes_at or session.ended_at is not None:
            return "expired"
        return "scheduled" if now < session.window_opens_at else "not_started"
    if session.ended_at is not None or (session.ends_at is not None and now >= session.ends_at):
        return "submitting"
    return "in_progress"


def summary(session: InterviewSession, now: datetime | None = None) -> dict[str, Any] | None:
    """The take-home part of a session as the API shows it; None for a live session."""
    if not is_take_home(session):
        return None
    current = state(session, now)
    return {
        "opens_at": session.window_opens_at,
        "closes_at": session.window_closes_at,
        "state": current,
        "state_label": STATE_LABELS[current],
        "finalized_at": session.finalized_at,
    }


def start_by(settings: Settings, session: InterviewSession) -> datetime:
    """The last moment to start and still get the whole duration."""
    assert session.window_closes_at is not None
    return session.window_closes_at - duration_of(settings, session.duration_min)


def start_view(db: Session, session: InterviewSession) -> dict[str, Any]:
    """What the candidate sees before starting: the rules of the game, not the questions."""
    now = utcnow()
    assert session.window_opens_at is not None
    return {
        "title": session.title,
        "candidate_name": session.candidate_name,
        "framework": session.framework,
        "duration_min": session.duration_min,
        "question_count": len(session.questions),
        "started_at": None,
        "ends_at": None,
        "take_home": summary(session, now),
        "can_start": now >= session.window_opens_at,
        "start_by": start_by(settings_of(db), session),
    }


# ---- handing in at the deadline ----


@dataclass
class HandIn:
    session_id: int
    expired: bool = False
    auto_submitted: dict[str, str] = field(default_factory=dict)  # slug -> submission id
    already_submitted: list[str] = field(default_factory=list)
    no_code: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # slug -> why (checked before any write)


def due_ids(db: Session, now: datetime) -> list[int]:
    settled = now - timedelta(seconds=SETTLE_S)
    query = select(InterviewSession.id).where(
        InterviewSession.window_closes_at.is_not(None),
        InterviewSession.finalized_at.is_(None),
        or_(
            InterviewSession.ends_at <= settled,
            InterviewSession.window_closes_at <= settled,
            InterviewSession.ended_at.is_not(None),
        ),
    )
    return list(db.scalars(query.order_by(InterviewSession.id).limit(500)))


def sweep_due(database: Database, now: datetime | None = None) -> list[HandIn]:
    """Hand in every take-home whose deadline has passed; each in its own transaction."""
    now = now or utcnow()
    with database.session() as db:
        ids = due_ids(db, now)
    done = []
    for session_id in ids:
        try:
            with database.session() as db:
                handed = hand_in(db, session_id, now)
        except Exception:
            # Rolled back whole: the session stays due and the next pass tries again.
            log.exception("handing in take-home session %s failed; trying again next pass", session_id)
            continue
        if handed is not None:
            done.append(handed)
    return done


def hand_in(db: Session, session_id: int, now: datetime) -> HandIn | None:
    """Submit a due session's last code per question, or mark it expired; None if another
    pass claimed it first. Never commits (the caller's transaction holds claim and submissions)."""
    claimed = db.execute(
        update(InterviewSession)
        .where(InterviewSession.id == session_id, InterviewSession.finalized_at.is_(None))
        .values(finalized_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session = db.get(InterviewSession, session_id, populate_existing=True)
    assert session is not None
    result = HandIn(session_id)
    if session.started_at is None:
        result.expired = True
        reason = "ended by the interviewer" if session.ended_at else "never started before the window closed"
        add_event(db, session.id, "expired", data={"reason": reason})
        return result
    for entry in session.questions:
        _hand_in_question(db, session, entry, result)
    add_event(
        db,
        session.id,
        "handed_in",
        data={
            "deadline": (session.ended_at or session.ends_at or now).isoformat(),
            "auto_submitted": sorted(result.auto_submitted),
            "already_submitted": result.already_submitted,
            "no_code": result.no_code,
            "refused": result.refused,
        },
    )
    return result


def _hand_in_question(db: Session, session: InterviewSession, entry: dict[str, Any], result: HandIn) -> None:
    row = db.get(QuestionVersion, entry["question_id"])
    if row is None or row.kind != "coding":
        return
    code = _last_code(db, session.id, row.slug)
    if code is None:
        result.no_code.append(row.slug)
        return
    if _last_submitted_code(db, session.id, row.slug) == code:
        result.already_submitted.append(row.slug)
        return
    try:
        submission = create_submission(
            db,
            question=row,
            framework=session.framework,
            code=code,
            mode="submit",
            interview_id=session.id,
            enforce_queue_limit=False,  # the server's one hand-in, never refused for a busy queue
        )
    except DojoError as exc:  # the code is over a size limit lowered since it was saved, say
        result.refused[row.slug] = exc.message
        return
    add_event(
        db,
        session.id,
        "submit",
        question=row.slug,
        submission_id=submission.id,
        data={"code": code, "auto": True},
    )
    result.auto_submitted[row.slug] = submission.id


def _last_code(db: Session, session_id: int, slug: str) -> str | None:
    """The newest code saved for a question, None if there is none: the shared document's text
    (app.pairing stores each edit typed in the page's editor, and refuses them after the
    deadline) or the newest draft, run or submit on the timeline (drafts sent by the API do not
    touch the document), whichever was saved last."""
    # Imported here: app.pairing.service imports app.interviews.service, which imports this module.
    from app.pairing.models import PairUpdate
    from app.pairing.service import STARTER, load_doc, text_of

    typed_at = db.scalar(
        select(func.max(PairUpdate.at)).where(
            PairUpdate.interview_id == session_id, PairUpdate.question == slug, PairUpdate.role != STARTER
        )
    )
    events = db.scalars(
        select(InterviewEvent)
        .where(
            InterviewEvent.interview_id == session_id,
            InterviewEvent.question == slug,
            InterviewEvent.type.in_(CODE_EVENTS),
        )
        # By time first: a draft typed in quick bursts updates its older entry's time in place.
        .order_by(InterviewEvent.at.desc(), InterviewEvent.id.desc())
        .limit(20)
    )
    newest = next((e for e in events if "code" in (e.data or {})), None)
    if typed_at is not None and (newest is None or typed_at >= newest.at):
        return text_of(load_doc(db, session_id, slug))
    return str(newest.data["code"]) if newest is not None else None


def _last_submitted_code(db: Session, session_id: int, slug: str) -> str | None:
    """The code of the candidate's newest submit of a question (None: never submitted)."""
    submitted = db.scalar(
        select(InterviewEvent)
        .where(
            InterviewEvent.interview_id == session_id,
            InterviewEvent.question == slug,
            InterviewEvent.type == "submit",
        )
        .order_by(InterviewEvent.id.desc())
        .limit(1)
    )
    return str(submitted.data.get("code")) if submitted is not None else None


# ---- the report ----


def report_section(record: SessionRecord, now: datetime | None = None) -> dict[str, Any] | None:
    """The take-home part of a report: its window and state, and per question whether the
    server submitted it at the deadline; None for a live session."""
    session = record.session
    base = summary(session, now)
    if base is None:
        return None
    handed = next((e for e in record.events if e.type in ("handed_in", "expired")), None)
    data = handed.data if handed is not None else {}
    auto = {
        e.question: e.submission_id
        for e in record.events
        if e.type == "submit" and (e.data or {}).get("auto") and e.question
    }
    questions = []
    for entry in session.questions:
        slug = entry["slug"]
        submission = record.submissions_by_id.get(auto.get(slug) or "")
        if slug in auto:
            outcome = "auto_submitted"
        elif slug in data.get("already_submitted", []):
            outcome = "submitted_by_candidate"
        elif slug in data.get("no_code", []):
            outcome = "no_code"
        elif slug in data.get("refused", {}):
            outcome = "refused"
        else:
            outcome = None  # not handed in yet
        questions.append(
            {
                "question": slug,
                "outcome": outcome,
                "submission_id": auto.get(slug),
                "status": submission.status if submission is not None and submission.state == "done" else None,
            }
        )
    return {
        **base,
        "started_at": session.started_at,
        "ends_at": session.ends_at,
        "expired": base["state"] == "expired",
        "expired_reason": data.get("reason") if handed is not None and handed.type == "expired" else None,
        "questions": questions,
    }
