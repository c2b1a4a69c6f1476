"""Integrity signals: large pastes, time away from the page, and code similarity.

They are things an interviewer may want to ask about, never verdicts: each comes with a plain
statement of what it can and cannot mean (`CAVEATS`), shown wherever the signal is. The
candidate's page sends pastes and hidden intervals; similarity is worked out for the report.
The candidate never reads any of them back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.core.database import utcnow
from app.core.errors import Conflict, TooManyRequests
from app.submissions.models import Submission
from app.teams.service import teammate_ids

from .loader import SessionRecord
from .models import InterviewEvent, InterviewSession
from .schemas import PASTE_TEXT_MAX, HiddenSignal, PasteSignal
from .service import pinned_question
from .similarity import fingerprints, jaccard
from .timeline import add_event

SIGNAL_TYPES = ("paste", "hidden")
MAX_SIGNALS = 500  # per session: past this the candidate's page is told to stop sending
PEER_LIMIT = 200  # how many of a question's latest interview submissions similarity looks at
PASTE_MIN_CHARS = 200  # the page reports pastes of at least this many characters...
PASTE_MIN_LINES = 5  # ...or this many lines

CAVEATS = {
    "paste": (
        "A paste may be the candidate's own code, moved within the editor or brought from their "
        "notes or an earlier attempt; it is not evidence of cheating by itself. Ask about it."
    ),
    "hidden": (
        "Time away from the page may be reading documentation, a notification, another screen or "
        "a moment's thought; the page cannot tell which, and a second device leaves no trace at all."
    ),
    "similarity": (
        "Similar code is expected when a question has one natural solution: short answers written "
        "the idiomatic way look alike. Winnowing ignores names, comments and layout and leaves out "
        "the starter code; a high score is a reason to ask the candidate to explain their code, "
        "not a finding."
    ),
}
SUMMARY = "These are signals to discuss with the candidate, never an automatic verdict."


def record_signal(db: Session, session: InterviewSession, signal: PasteSignal | HiddenSignal) -> InterviewEvent:
    """Store one signal from the candidate's page as a timeline entry ("paste" or "hidden")."""
    if session.started_at is None:
        raise Conflict("the session has not started")
    if signal.question is not None:
        pinned_question(db, session, signal.question)
    # Lock the session row so that concurrent signals count against the cap one by one.
    db.execute(select(InterviewSession.id).where(InterviewSession.id == session.id).with_for_update())
    count = db.scalar(
        select(func.count())
        .select_from(InterviewEvent)
        .where(InterviewEvent.interview_id == session.id, InterviewEvent.type.in_(SIGNAL_TYPES))
    )
    if (count or 0) >= MAX_SIGNALS:
        raise TooManyRequests(f"this session has {MAX_SIGNALS} signals already; no more are kept", limit=MAX_SIGNALS)
    data: dict[str, Any]
    if isinstance(signal, PasteSignal):
        data = {
            "chars": max(signal.chars, len(signal.text)),
            "lines": signal.lines,
            "text": signal.text[:PASTE_TEXT_MAX],
            "truncated": signal.chars > len(signal.text),
        }
    else:
        started = utcnow() - timedelta(seconds=signal.seconds)
        data = {"seconds": round(signal.seconds, 1), "reason": signal.reason, "started_at": started.isoformat()}
    return add_event(db, session.id, signal.type, question=signal.question, data=data)


def duration_text(seconds: float) -> str:
    """'45 s', '2 min 5 s', '1 h 3 min'."""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def signal_label(type_: str, data: dict[str, Any]) -> str | None:
    """The timeline's words for a signal entry; None for other entries."""
    if type_ == "paste":
        chars, lines = int(data.get("chars", 0)), int(data.get("lines", 0))
        return f"Pasted {chars:,} character{'s' if chars != 1 else ''} ({lines:,} line{'s' if lines != 1 else ''})"
    if type_ == "hidden":
        where = "Page hidden" if data.get("reason", "hidden") == "hidden" else "Window out of focus"
        return f"{where} for {duration_text(float(data.get('seconds', 0)))}"
    return None


def signal_summary(record: SessionRecord) -> dict[str, Any]:
    """Counts over the session: pastes and the largest, time away and how often."""
    pastes = [e for e in record.events if e.type == "paste"]
    hidden = [e for e in record.events if e.type == "hidden"]
    largest = max(pastes, key=lambda e: int((e.data or {}).get("chars", 0)), default=None)
    return {
        "paste_count": len(pastes),
        "largest_paste_chars": int(largest.data.get("chars", 0)) if largest is not None else 0,
        "largest_paste_lines": int(largest.data.get("lines", 0)) if largest is not None else 0,
        "largest_paste_event": largest.id if largest is not None else None,
        "hidden_count": len(hidden),
        "hidden_total_s": round(sum(float((e.data or {}).get("seconds", 0)) for e in hidden), 1),
    }


def _final_code(record: SessionRecord, slug: str) -> str | None:
    """The newest code for `slug` on the timeline: a draft, run or submit, whichever is last."""
    newest = None
    for event in record.events:
        if event.question == slug and event.type in ("draft", "run", "submit") and "code" in (event.data or {}):
            newest = str(event.data["code"])
    return newest


def _visible_interviewers(db: Session, viewer: User) -> set[int] | None:
    """The interviewers whose sessions `viewer` may open; None: all of them (an admin)."""
    return None if viewer.has_role(Role.ADMIN) else set(teammate_ids(db, viewer))


def _peer_finals(db: Session, session: InterviewSession, slug: str) -> list[tuple[int, int, str]]:
    """(session id, its interviewer, final code) of other sessions' latest submission of `slug`
    in the same framework, from the question's latest PEER_LIMIT interview submissions."""
    rows = db.execute(
        select(Submission.interview_id, InterviewSession.interviewer_id, Submission.code)
        .join(InterviewSession, InterviewSession.id == Submission.interview_id)
        .where(
            Submission.question_slug == slug,
            Submission.framework == session.framework,
            Submission.interview_id.is_not(None),
            Submission.interview_id != session.id,
        )
        .order_by(Submission.created_at.desc(), Submission.id.desc())
        .limit(PEER_LIMIT)
    ).all()
    seen: dict[int, tuple[int, int, str]] = {}
    for interview_id, interviewer_id, code in rows:
        if interview_id is not None and interview_id not in seen:
            seen[interview_id] = (interview_id, interviewer_id, code)
    return list(seen.values())


def similarity_report(db: Session, record: SessionRecord, viewer: User) -> list[dict[str, Any]]:
    """Per question: the final code's similarity to the reference solution in the session's
    framework and to the closest of other sessions' final submissions. Scores only: neither the
    reference nor another candidate's code is returned, and another session is named only to an
    interviewer who may open it."""
    session = record.session
    visible = _visible_interviewers(db, viewer)
    out = []
    for entry in session.questions:
        slug = entry["slug"]
        row = record.question(slug)
        starter = row.files.get(f"{session.framework}/starter.py", "")
        base = fingerprints(starter) if starter else set()
        code = _final_code(record, slug)
        result: dict[str, Any] = {"question": slug, "has_code": bool(code), "reference": None, "peer": None}
        if code:
            mine = fingerprints(code) - base
            reference = row.files.get(f"{session.framework}/reference.py")
            if reference is not None:
                result["reference"] = round(jaccard(mine, fingerprints(reference) - base), 3)
            best: tuple[float, int, int] | None = None
            peers = _peer_finals(db, session, slug)
            for interview_id, interviewer_id, peer_code in peers:
                score = round(jaccard(mine, fingerprints(peer_code) - base), 3)
                if best is None or score > best[0]:
                    best = (score, interview_id, interviewer_id)
            if best is not None:
                shown = visible is None or best[2] in visible
                result["peer"] = {
                    "score": best[0],
                    "session_id": best[1] if shown else None,
                    "compared": len(peers),
                }
        out.append(result)
    return out


def integrity_data(db: Session, record: SessionRecord, viewer: User) -> dict[str, Any]:
    """The report's "Integrity signals": counts, similarity per question, and the caveats."""
    return {
        "summary": signal_summary(record),
        "similarity": similarity_report(db, record, viewer),
        "caveats": CAVEATS,
        "note": SUMMARY,
    }
