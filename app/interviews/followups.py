"""Follow-ups: a part the interviewer adds to a running session, from its parent's list.

A follow-up is a bank question of its own, named in its parent's `[[followups]]` (see
`workers.grading.followups`), so it is graded like any other part. Pushing one appends it to the
session's parts (`InterviewSession.questions`, pinned at its current version, with its parent,
the interviewer's `ask`, who pushed it and when), so drafts, runs, submits, the live view and the
report treat it as the part it is. The parent's code as it is now (its shared document, see
`app.pairing`, else the candidate's last draft, run or submit) becomes the follow-up's first
draft, which its shared document starts from; the candidate's page is told on the session's
room to switch to it.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.database import after_commit, settings_of, utcnow
from app.core.errors import Conflict, Invalid, NotFound
from app.events.bus import publish
from app.events.room import room_channel
from app.pairing.service import latest_sent_code, text_of
from app.pairing.snapshots import replay
from app.questions.models import QuestionVersion
from app.questions.service import as_question, current_version
from workers.grading.spec import FollowUp

from .models import InterviewSession
from .service import expiry_reason, pinned_question
from .takehome import is_take_home
from .timeline import add_event


def part_entry(session: InterviewSession, slug: str) -> dict[str, Any] | None:
    """The session's part for `slug` (a question picked at creation, or a pushed follow-up)."""
    return next((entry for entry in session.questions if entry["slug"] == slug), None)


def followups_of(db: Session, session: InterviewSession, parent: str) -> list[FollowUp]:
    """The follow-ups the parent's pinned version names (a later edit does not change them)."""
    return list(as_question(pinned_question(db, session, parent)).spec.followups)


def followup_menu(db: Session, session: InterviewSession) -> dict[str, list[dict[str, Any]]]:
    """Per part, its follow-ups: title, ask, whether pushed, and why one cannot be (if so).
    A take-home session has none to offer (see push_followup)."""
    menu: dict[str, list[dict[str, Any]]] = {}
    for entry in [] if is_take_home(session) else session.questions:
        items = []
        for followup in followups_of(db, session, entry["slug"]):
            row = current_version(db, followup.question)
            part = part_entry(session, followup.question)
            items.append(
                {
                    "parent": entry["slug"],
                    "question": followup.question,
                    "title": row.title if row is not None else followup.question,
                    "ask": followup.ask,
                    "pushed": part is not None and part.get("followup_of") == entry["slug"],
                    "unavailable": _unavailable(session, row, part, entry["slug"]),
                }
            )
        menu[entry["slug"]] = items
    return menu


def _unavailable(
    session: InterviewSession, row: QuestionVersion | None, part: dict[str, Any] | None, parent: str
) -> str | None:
    """Why a follow-up cannot be pushed to this session, or None when it can."""
    if row is None:
        return "no longer in the question bank"
    if row.kind != "coding" or session.framework not in row.frameworks:
        return f"has no {session.framework} version"
    if part is not None and part.get("followup_of") != parent:
        return "already a part of this session"
    return None


def push_followup(
    db: Session, user: User, session: InterviewSession, parent: str, question: str
) -> tuple[dict[str, Any], bool]:
    """Add `question` to the session as a follow-up of `parent`; (the part, whether it is new).

    Pushing one that is already there returns it unchanged. The caller has checked that `user`
    may run this session."""
    # One push at a time per session: a double click must not add the part twice.
    db.refresh(session, with_for_update=True)
    if expiry_reason(session) is not None:
        raise Conflict("the session has ended; follow-ups can be pushed only while it runs")
    if is_take_home(session):
        # Its candidate works alone on the questions chosen at creation, and the report compares
        # take-home candidates on the same set.
        raise Conflict("a take-home session has no live interviewer: follow-ups are for live sessions")
    followup = _linked(db, session, parent, question)
    existing = part_entry(session, question)
    if existing is not None and existing.get("followup_of") == parent:
        return existing, False
    row = current_version(db, question)
    reason = _unavailable(session, row, existing, parent)
    if reason is not None or row is None:
        raise Conflict(f"'{question}' cannot be pushed: {reason}", question=question)
    part = {
        "slug": row.slug,
        "question_id": row.id,
        "version": row.version,
        "followup_of": parent,
        "ask": followup.ask,
        "pushed_by": user.id,
        "pushed_at": utcnow().isoformat(),
    }
    session.questions = [*session.questions, part]  # a new list: the JSON column sees the change
    pushed = {"parent": parent, "ask": followup.ask, "by": user.email}
    add_event(db, session.id, "followup", question=row.slug, data=pushed)
    carried = _parent_code(db, session.id, parent)
    if carried is not None:
        data = {"code": carried, "framework": session.framework, "carried_from": parent}
        add_event(db, session.id, "draft", question=row.slug, data=data)
    message = {"type": "followup", "question": row.slug, "parent": parent, "ask": followup.ask, "title": row.title}
    settings = settings_of(db)
    after_commit(db, lambda: publish(settings, room_channel(session.id), message))
    return part, True


def _linked(db: Session, session: InterviewSession, parent: str, question: str) -> FollowUp:
    if part_entry(session, parent) is None:
        raise NotFound(f"'{parent}' is not part of this interview", question=parent)
    for followup in followups_of(db, session, parent):
        if followup.question == question:
            return followup
    raise Invalid(f"'{question}' is not a follow-up of '{parent}'", question=question)


def _parent_code(db: Session, interview_id: int, slug: str) -> str | None:
    """The code of `slug` now: its shared document's text once someone opened it, else the
    newest code the candidate sent (draft, run or submit), else None (never touched)."""
    stored = replay(db, interview_id, slug)
    if stored.seq:
        return text_of(stored.doc)
    return latest_sent_code(db, interview_id, slug)


def part_labels(entry: dict[str, Any]) -> dict[str, Any]:
    """Which part a follow-up continues and what the interviewer asked (None for the others)."""
    return {"followup_of": entry.get("followup_of"), "ask": entry.get("ask")}


def part_view(part: dict[str, Any]) -> dict[str, Any]:
    """A pushed part as the API shows it."""
    return {
        "question": part["slug"],
        "version": part["version"],
        "followup_of": part.get("followup_of"),
        "ask": part.get("ask"),
        "pushed_by": part.get("pushed_by"),
        "pushed_at": part.get("pushed_at"),
    }
