"""Playback of a question's editing history, for the interviewer's report.

A history is an ordered sequence of snapshots of one question's code: when, who typed, and the
whole text after that change (`CodeSnapshot`; any iterable of `(at, role, text)` tuples will
do). `edit_history` picks where it comes from; `playback_data` turns it into what the report's
player (app/static/js/playback.js) downloads: the first text, then one small diff per step, and
a marker for every run and submit with what that run got.

A step ("frame") is `[t, role, position, deleted, inserted, (position, deleted, inserted)...]`:
`t` in milliseconds since `started_at`, `role` an index into `roles`, then one or more splices
in UTF-16 code units, last position first, each position counted in the text before the step
(see `playback_diff`). The browser keeps a full copy of the text every few steps, so seeking
backwards replays a handful of steps rather than the whole history.

Sizes are bounded: at most MAX_FRAMES steps and about MAX_BYTES of steps per question. A longer
history is coalesced: the first and final code and the code at every run and submit are kept,
the edits between are merged into evenly spaced steps, and the response says so (`coalesced`).
At most MAX_MARKERS runs and submits are marked (`runs_total` says how many there were), each
with its messages cut to FAILURE_TEXT_MAX characters.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.pairing.history import has_pair_log, text_history
from app.submissions.models import Submission

from .models import InterviewEvent, InterviewSession
from .playback_diff import splices, utf16_splices
from .service import pinned_question

MAX_FRAMES = 5000  # steps served per question; beyond this the history is coalesced
MAX_BYTES = 2 * 1024 * 1024  # about this much JSON of steps per question, coalesced the same way
FAILURE_TEXT_MAX = 600  # characters of a failing test's message shown with its marker
MAX_MARKERS = 500  # runs and submits marked per question; more are thinned evenly (the last kept)


class CodeSnapshot(NamedTuple):
    """One question's whole code at one moment, and who made the change that led to it."""

    at: datetime
    role: str  # candidate | interviewer | starter (the code the question starts from)
    text: str


# Oldest first. Plain (at, role, text) tuples fit as well, so a source may yield its own.
EditHistory = Iterable[tuple[datetime, str, str]]


class EditSource(NamedTuple):
    name: str  # "timeline" today; the player tells the viewer how fine-grained the history is
    history: EditHistory


def edit_history(db: Session, session: InterviewSession, slug: str) -> EditSource:
    """Where a question's editing history comes from: the finer of the two that exist.

    A question edited in the shared editor has a keystroke-level log (app/pairing): every
    stored CRDT update that changed the text, with who typed it. The timeline has the drafts
    saved while the candidate typed and the code sent with every run and submit. Code posted
    without the shared editor (an API client) also reaches the log, but only once per run,
    while that client's drafts are on the timeline; so the source with more states wins, and
    a session from before pair editing has only its timeline."""
    timeline = timeline_history(db, session, slug)
    # Read once: the player keeps every snapshot of the chosen history in memory anyway.
    keystrokes = list(text_history(db, session.id, slug)) if has_pair_log(db, session.id, slug) else []
    if len(keystrokes) > len(timeline):
        return EditSource("keystrokes", keystrokes)
    return EditSource("timeline", timeline)


def timeline_history(db: Session, session: InterviewSession, slug: str) -> list[CodeSnapshot]:
    """The starter code when the candidate started, then every draft, run and submit of `slug`."""
    if session.started_at is None:
        return []
    starter = pinned_question(db, session, slug).files.get(f"{session.framework}/starter.py", "")
    events = db.scalars(
        select(InterviewEvent)
        .where(
            InterviewEvent.interview_id == session.id,
            InterviewEvent.question == slug,
            InterviewEvent.type.in_(("draft", "run", "submit")),
        )
        .order_by(InterviewEvent.id)
    )
    # A draft entry moves forward in time as a typing burst goes on, so order by time.
    coded = sorted((e for e in events if "code" in (e.data or {})), key=lambda e: (e.at, e.id))
    history = [CodeSnapshot(session.started_at, "starter", _editor_text(starter))]
    history += [CodeSnapshot(e.at, "candidate", _editor_text(str(e.data["code"]))) for e in coded]
    return history


def _editor_text(code: str) -> str:
    """The code as the editor held it: a run or submit from the page's form arrives with CRLF
    line breaks (HTML forms send them so) while the editor and its drafts use LF, and the same
    code must not replay as a change of every line."""
    return code.replace("\r\n", "\n")


# ---- markers: every run and submit, with what it got ----


def _result(submission: Submission | None) -> dict[str, Any]:
    """A run's verdict as the marker shows it: status, tests passed, the first failing test."""
    if submission is None or submission.state != "done":
        return {"status": None, "message": "", "passed": None, "total": None, "failing_test": None}
    verdict = submission.verdict or {}
    tests = [t for t in verdict.get("tests") or [] if isinstance(t, dict)]
    failing = next((t for t in tests if not t.get("passed")), None)
    return {
        "status": submission.status,
        "message": str(verdict.get("message") or "")[:FAILURE_TEXT_MAX],
        "passed": sum(1 for t in tests if t.get("passed")),
        "total": len(tests),
        "failing_test": None
        if failing is None
        else {
            "name": str(failing.get("name") or ""),
            "visible": bool(failing.get("visible")),
            "message": str(failing.get("message") or "")[:FAILURE_TEXT_MAX],
        },
    }


def attempts(db: Session, session: InterviewSession, slug: str) -> list[dict[str, Any]]:
    """Runs and submits of `slug`, oldest first, numbered as the report numbers them."""
    rows = db.execute(
        select(InterviewEvent, Submission)
        .outerjoin(Submission, Submission.id == InterviewEvent.submission_id)
        .where(
            InterviewEvent.interview_id == session.id,
            InterviewEvent.question == slug,
            InterviewEvent.type.in_(("run", "submit")),
        )
        .order_by(InterviewEvent.id)
    ).all()
    return [
        {
            "number": number,
            "kind": event.type,
            "at": event.at,
            "event_id": event.id,
            "submission_id": event.submission_id,
            **_result(submission),
        }
        for number, (event, submission) in enumerate(rows, start=1)
    ]


# ---- from snapshots to steps ----


def _changes_only(history: EditHistory) -> list[CodeSnapshot]:
    """The snapshots that change the text (a save of the same code is not a step)."""
    kept: list[CodeSnapshot] = []
    for at, role, text in history:
        if not kept or text != kept[-1].text:
            kept.append(CodeSnapshot(at, role, text))
    return kept


def _evenly(items: Sequence[int], count: int) -> list[int]:
    """`count` of `items`, evenly spread, each the last of its share (the state it ends in)."""
    if count >= len(items):
        return list(items)
    if count <= 0:
        return []
    share = len(items) / count
    return [items[min(len(items) - 1, int((i + 1) * share) - 1)] for i in range(count)]


def _last_at_or_before(snapshots: list[CodeSnapshot], at: datetime) -> int:
    return max(0, bisect_right(snapshots, at, key=lambda snapshot: snapshot.at) - 1)


def select_snapshots(snapshots: list[CodeSnapshot], pinned: set[int], budget: int) -> list[int]:
    """Indices of at most `budget` snapshots: the first, the last, those in `pinned` (the code
    at a run or submit; evenly thinned if there are more than fit), then evenly spaced others."""
    count = len(snapshots)
    if count <= budget:
        return list(range(count))
    keep = {0, count - 1}
    keep.update(_evenly(sorted(pinned - keep), budget - len(keep)))
    others = [i for i in range(count) if i not in keep]
    keep.update(_evenly(others, budget - len(keep)))
    return sorted(keep)


def encode_frames(snapshots: list[CodeSnapshot], started_at: datetime) -> tuple[list[list[Any]], list[str]]:
    """One step per snapshot after the first, and the roles the steps name by index."""
    roles: list[str] = []
    frames: list[list[Any]] = []
    for before, after in pairwise(snapshots):
        if after.role not in roles:
            roles.append(after.role)
        frame: list[Any] = [max(0, round((after.at - started_at).total_seconds() * 1000)), roles.index(after.role)]
        for position, deleted, inserted in utf16_splices(before.text, splices(before.text, after.text)):
            frame += [position, deleted, inserted]
        frames.append(frame)
    return frames, roles


def _size(frames: list[list[Any]]) -> int:
    # ensure_ascii: an upper bound on the UTF-8 size, and safe for any string
    return sum(len(json.dumps(frame, separators=(",", ":"))) + 1 for frame in frames)


def build_playback(
    history: EditHistory,
    runs: list[dict[str, Any]],
    started_at: datetime,
    *,
    max_frames: int = MAX_FRAMES,
    max_bytes: int = MAX_BYTES,
) -> dict[str, Any]:
    """The player's data: first text, steps, roles and markers, coalesced to fit the limits."""
    snapshots = _changes_only(history)
    pinned = {_last_at_or_before(snapshots, run["at"]) for run in runs} if snapshots else set()
    budget = max_frames + 1  # the first snapshot is the initial text, not a step
    while True:
        kept = [snapshots[i] for i in select_snapshots(snapshots, pinned, budget)]
        frames, roles = encode_frames(kept, started_at)
        if _size(frames) <= max_bytes or budget <= 2:
            break
        budget = max(2, budget // 2)
    markers = [
        {
            **{k: v for k, v in run.items() if k != "at"},
            "t": max(0, round((run["at"] - started_at).total_seconds() * 1000)),
            "step": _last_at_or_before(kept, run["at"]) if kept else 0,
        }
        for run in runs
    ]
    return {
        "started_at": started_at.isoformat(),
        "initial": kept[0].text if kept else "",
        "roles": roles,
        "frames": frames,
        "markers": markers,
        "coalesced": {"snapshots": len(snapshots) - 1, "steps": len(frames)} if len(kept) < len(snapshots) else None,
    }


def playback_data(db: Session, session: InterviewSession, slug: str) -> dict[str, Any]:
    """What the report's player needs for one question of the session (404 for other slugs).
    The caller has checked that the viewer may read the session's report."""
    pinned_question(db, session, slug)
    started_at = session.started_at or session.created_at
    source = edit_history(db, session, slug)
    runs = attempts(db, session, slug)
    marked = [runs[i] for i in _evenly(range(len(runs)), MAX_MARKERS)]
    data = build_playback(source.history, marked, started_at, max_frames=MAX_FRAMES, max_bytes=MAX_BYTES)
    return {"question": slug, "source": source.name, "runs_total": len(runs), **data}


def playback_json(data: dict[str, Any]) -> bytes:
    """The response body: UTF-8 JSON, or ASCII-escaped JSON if the code holds a lone surrogate
    (JSON and the browser accept one; UTF-8 cannot encode it)."""
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, separators=(",", ":")).encode("ascii")
