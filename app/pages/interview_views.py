"""Shaping interview data for the pages: the candidate's current code, timelines, snapshots.

Built from a `SessionRecord` (`app.interviews.loader`), read once per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.security import token_digest
from app.interviews import service as interviews
from app.interviews.integrity import signal_label
from app.interviews.loader import SessionRecord
from app.interviews.models import InterviewEvent, InterviewSession
from app.pairing.service import editor_text
from app.questions import service as questions
from app.submissions.models import Submission

from .verdicts import VerdictView, verdict_view

CODE_EVENTS = ("draft", "run", "submit")
EVENT_LABELS = {
    "created": "Session created",
    "opened": "Candidate opened the link",
    "draft": "Edited",
    "run": "Run",
    "submit": "Submit",
    "verdict": "Result",
    "ended": "Session ended",
    "note": "Notes saved",
    "paste": "Pasted",
    "hidden": "Page hidden",
    "handed_in": "Deadline: handed in by the server",
    "expired": "Window closed before the candidate started",
    "followup": "Follow-up pushed",
}
AUTO_SUBMIT_LABEL = "Auto-submitted at the deadline"


def session_for_token(db: Session, token: str) -> InterviewSession:
    """The session of a candidate link whatever its state (for reading results only)."""
    session = db.scalar(select(InterviewSession).where(InterviewSession.token_digest == token_digest(token)))
    if session is None:
        raise NotFound("no such interview link")
    return session


def state_of(session: InterviewSession) -> str:
    """not_started | live | ended, for badges and which actions to show."""
    if interviews.expiry_reason(session) is not None:
        return "ended"
    return "live" if session.started_at is not None else "not_started"


def offset_s(session: InterviewSession, at: datetime) -> float | None:
    """Seconds since the candidate started; None before the start (shown as a clock time)."""
    if session.started_at is None or at < session.started_at:
        return None
    return (at - session.started_at).total_seconds()


@dataclass
class Snapshot:
    """The code at one run or submit, with what it got."""

    index: int
    kind: str  # run | submit | auto-submit (the server's, at a take-home's deadline)
    at: datetime
    offset_s: float | None
    code: str
    submission_id: str | None
    status: str | None = None
    verdict: VerdictView | None = None


@dataclass(frozen=True)
class FinalCode:
    """A question's code as the session left it. Where someone typed in the shared document,
    its text: the interviewer's edits never reach the timeline, and the candidate's last
    keystrokes can come after their last run, submit or autosave. Else the newest code on the
    timeline."""

    code: str
    shared: bool  # `code` is the shared document's text
    saved: str | None = None  # the newest code on the timeline, where it differs from `code`


def final_code(saved: str | None, shared: str | None) -> FinalCode | None:
    """From the newest code on the timeline and the shared document's edited text (if any)."""
    if shared is None:
        return None if saved is None else FinalCode(saved, shared=False)
    differs = saved is not None and editor_text(saved) != shared
    return FinalCode(shared, shared=True, saved=saved if differs else None)


@dataclass
class QuestionReport:
    slug: str
    title: str
    summary: dict[str, Any]
    snapshots: list[Snapshot] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    final: FinalCode | None = None
    best: Submission | None = None
    best_view: VerdictView | None = None

    @property
    def final_after_runs(self) -> bool:
        """Whether the final code is other than the last run's or submit's, so it is shown too."""
        if self.final is None:
            return False
        return not self.snapshots or editor_text(self.snapshots[-1].code) != editor_text(self.final.code)


def latest_code(record: SessionRecord, slug: str) -> str | None:
    """The newest code the candidate had for `slug`: a draft, run or submit, whichever is last."""
    newest: InterviewEvent | None = None
    for event in record.events:
        if event.question == slug and event.type in CODE_EVENTS and "code" in (event.data or {}):
            newest = event
    return str(newest.data["code"]) if newest is not None else None


def timeline_entries(record: SessionRecord, events: list[InterviewEvent] | None = None) -> list[dict[str, Any]]:
    """Timeline rows for display (of `events`, by default the whole timeline); verdicts are
    folded into their run or submit."""
    session = record.session
    subs = record.submissions_by_id
    rows: list[dict[str, Any]] = []
    by_submission: dict[str, dict[str, Any]] = {}
    for event in record.events if events is None else events:
        if event.type == "draft":
            continue  # drafts are shown as the live code, not as timeline rows
        if event.type == "verdict" and event.submission_id in by_submission:
            row = by_submission[event.submission_id]
            row["status"] = (event.data or {}).get("status")
            continue
        row = {
            "id": event.id,
            "type": event.type,
            "label": EVENT_LABELS.get(event.type, event.type),
            "question": event.question,
            "at": event.at,
            "offset_s": offset_s(session, event.at),
            "submission_id": event.submission_id,
            "status": None,
        }
        if (event.data or {}).get("auto"):
            row["label"], row["auto"] = AUTO_SUBMIT_LABEL, True
        label = signal_label(event.type, event.data or {})
        if label is not None:
            row["label"] = label
            row["signal"] = True
            if event.type == "paste":
                row["pasted"] = str((event.data or {}).get("text", ""))
                row["truncated"] = bool((event.data or {}).get("truncated"))
        if event.submission_id:
            sub = subs.get(event.submission_id)
            if sub is not None and sub.state == "done":
                row["status"] = sub.status
                speedup = ((sub.verdict or {}).get("timing") or {}).get("speedup")
                row["speedup"] = speedup if sub.status == "accepted" else None
            by_submission[event.submission_id] = row
        rows.append(row)
    return rows


def evidence_options(rows: list[dict[str, Any]], titles: dict[str, str]) -> list[dict[str, Any]]:
    """The runs and submits a rubric score can cite, each with a short description."""
    options = []
    for row in rows:
        if row["type"] not in ("run", "submit"):
            continue
        parts = [row["label"]]
        if row["question"]:
            parts.append(titles.get(row["question"], row["question"]))
        if row["offset_s"] is not None:
            minutes, seconds = divmod(int(row["offset_s"]), 60)
            parts.append(f"{minutes:02d}:{seconds:02d}")
        if row["status"]:
            parts.append(str(row["status"]).replace("_", " "))
        options.append({"id": row["id"], "text": " · ".join(parts)})
    return options


def build_report(
    record: SessionRecord, summaries: list[dict[str, Any]], shared: dict[str, str]
) -> list[QuestionReport]:
    """Per question: its runs and submits, its timeline and its final code; `shared` is the
    text of each edited shared document (`app.pairing.service.edited_texts`)."""
    session = record.session
    events = record.events
    subs = record.submissions_by_id
    reports = []
    for entry, summary in zip(session.questions, summaries, strict=False):
        slug = entry["slug"]
        row = record.question(slug)
        report = QuestionReport(slug=slug, title=row.title, summary=summary)
        for event in events:
            if event.question != slug or event.type not in ("run", "submit"):
                continue
            sub = subs.get(event.submission_id or "")
            report.snapshots.append(
                Snapshot(
                    index=len(report.snapshots) + 1,
                    kind="auto-submit" if (event.data or {}).get("auto") else event.type,
                    at=event.at,
                    offset_s=offset_s(session, event.at),
                    code=str((event.data or {}).get("code", sub.code if sub else "")),
                    submission_id=event.submission_id,
                    status=sub.status if sub is not None and sub.state == "done" else None,
                    verdict=verdict_view(sub.verdict) if sub is not None and sub.verdict else None,
                )
            )
        question_events = [e for e in events if e.question == slug]
        report.events = timeline_entries(record, question_events)
        report.final = final_code(latest_code(record, slug), shared.get(slug))
        best_id = summary.get("best_submission_id")
        report.best = subs.get(best_id) if best_id else None
        report.best_view = (
            verdict_view(report.best.verdict) if report.best is not None and report.best.verdict else None
        )
        reports.append(report)
    return reports


def live_state(record: SessionRecord, shared: dict[str, str]) -> dict[str, Any]:
    """What the live view shows: per question the current code (see `FinalCode`; `shared` as in
    `build_report`), and the timeline rows."""
    session = record.session
    events = record.events
    saved: dict[str, InterviewEvent] = {}
    for event in events:
        if event.question and event.type in CODE_EVENTS and "code" in (event.data or {}):
            saved[event.question] = event
    code: dict[str, dict[str, Any]] = {}
    for slug in {**saved, **shared}:
        newest = saved.get(slug)
        final = final_code(str(newest.data["code"]) if newest else None, shared.get(slug))
        assert final is not None  # the slug has saved code or a shared text
        code[slug] = {
            "code": final.code,
            "shared": final.shared,
            "saved": final.saved,
            # When, and by what, the newest code on the timeline was saved.
            "at": newest.at.isoformat() if newest else None,
            "source": newest.type if newest else None,
        }
    return {
        "state": state_of(session),
        "ends_at": session.ends_at.isoformat() if session.ends_at else None,
        "code": code,
        "rows": timeline_entries(record),
        "last_event_id": events[-1].id if events else 0,
    }


def question_titles(record: SessionRecord) -> dict[str, str]:
    titles = {}
    for entry in record.session.questions:
        row = record.question(entry["slug"])
        titles[row.slug] = row.title
    return titles


def coding_choices(db: Session) -> list[dict[str, Any]]:
    """Questions an interviewer can pick: the coding ones (concept cards are self-practice)."""
    rows = questions.list_current(db, {"kind": "coding"})
    order = {"easy": 0, "medium": 1, "hard": 2}
    return sorted(rows, key=lambda r: (order.get(r["difficulty"], 3), r["title"]))
