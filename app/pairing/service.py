"""Shared documents: the update log, the starting text, server-side edits and the graded text.

A document is the Y.Text named "code" of one (session, question). Its state is the log of Yjs
updates in `pair_updates`; every function here rebuilds it from there (from its latest snapshot
and the updates after it, see `snapshots`), so any API process (or a restarted one) sees the
same document. Functions take the caller's session and never commit;
a stored update is published on the bus once its transaction commits.

Appends are single `INSERT ... SELECT max(seq) + 1` statements behind a lock on the session row:
PostgreSQL serialises them on the lock, SQLite takes its write lock as the statement starts, and
the unique (session, question, seq) constraint stands behind both.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from pycrdt import Doc, Text
from sqlalchemy import ColumnElement, LargeBinary, exists, func, insert, literal, select
from sqlalchemy.orm import Session

from app.core.database import UTCDateTime, after_commit, settings_of, utcnow
from app.core.errors import Conflict, Gone, Invalid, PayloadTooLarge
from app.events.bus import publish
from app.interviews.models import InterviewEvent, InterviewSession
from app.interviews.service import expiry_reason, pinned_question
from app.questions.service import public_view

from .models import PairUpdate
from .protocol import BadMessage, covers, split_snapshot
from .snapshots import replay, snapshot_if_due

CODE = "code"  # the Y.Text every browser binds its editor to
# Who made an update: the candidate, the interviewer, or "starter" for the text the document
# starts from (the words the report's playback uses).
STARTER, CANDIDATE, INTERVIEWER = "starter", "candidate", "interviewer"
SERVER_ORIGIN = "server"  # the bus origin of edits made by the server (posted code, seeds)
EMPTY_UPDATE = b"\x00\x00"  # a Yjs update with no items and no deletions
STARTING_CODE_EVENTS = ("draft", "run", "submit")


def doc_channel(interview_id: int, slug: str) -> str:
    return f"doc:{interview_id}:{slug}"


def text_of(doc: Doc) -> str:
    return str(doc.get(CODE, type=Text))


def editor_text(code: str) -> str:
    """Code as the editor holds it: CodeMirror keeps LF line breaks only (an HTML form posts
    CRLF), and a document with CR in it would put the two sides' positions out of step."""
    return code.replace("\r\n", "\n").replace("\r", "\n")


def code_bytes(text: str) -> int:
    return len(text.encode("utf-8", errors="surrogatepass"))


def _of_doc(interview_id: int, slug: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return PairUpdate.interview_id == interview_id, PairUpdate.question == slug


def load_doc(db: Session, interview_id: int, slug: str) -> Doc:
    return replay(db, interview_id, slug).doc


def stored_state(db: Session, interview_id: int, slug: str) -> tuple[bytes, int]:
    """The document as one Yjs update (for a socket to apply to its own copy) and the size of
    its log in bytes."""
    replayed = replay(db, interview_id, slug)
    return replayed.doc.get_update(), replayed.log_bytes


def _lock_session(db: Session, interview_id: int) -> InterviewSession:
    # FOR UPDATE is PostgreSQL's; SQLite leaves it out and serialises writers by itself.
    session = db.scalar(select(InterviewSession).where(InterviewSession.id == interview_id).with_for_update())
    if session is None:
        raise Gone("this interview session no longer exists")
    return session


def _insert(db: Session, interview_id: int, slug: str, role: str, update: bytes, *, first: bool = False) -> int | None:
    """Append `update` with the next number; with `first`, only to an empty log. The number, or
    None where `first` found the log started."""
    of_doc = _of_doc(interview_id, slug)
    next_seq = select(func.coalesce(func.max(PairUpdate.seq), 0) + 1).where(*of_doc).scalar_subquery()
    source = select(
        literal(interview_id),
        literal(slug),
        next_seq,
        literal(role),
        literal(update, LargeBinary()),
        literal(utcnow(), UTCDateTime()),
    )
    if first:
        source = source.where(~exists().where(*of_doc))
    columns = ["interview_id", "question", "seq", "role", "update", "at"]
    seq = db.scalar(insert(PairUpdate).from_select(columns, source).returning(PairUpdate.seq))
    return int(seq) if seq is not None else None


def append_update(db: Session, interview_id: int, slug: str, update: bytes, role: str, origin: str) -> int:
    """Store one update while the session is open (410 once it is over) and publish it after
    the commit; `origin` lets the socket that sent it skip its own copy."""
    session = _lock_session(db, interview_id)
    reason = expiry_reason(session)
    if reason is not None:
        raise Gone(reason)
    seq = _insert(db, interview_id, slug, role, update)
    assert seq is not None
    snapshot_if_due(db, interview_id, slug, seq)  # still under the lock taken above
    payload = {"type": "update", "u": base64.b64encode(update).decode(), "member": origin, "seq": seq}
    settings = settings_of(db)
    after_commit(db, lambda: publish(settings, doc_channel(interview_id, slug), payload))
    return seq


def latest_sent_code(db: Session, interview_id: int, slug: str) -> str | None:
    """The newest code of `slug` on the timeline (a draft, run or submit), or None."""
    latest = db.scalar(
        select(InterviewEvent)
        .where(
            InterviewEvent.interview_id == interview_id,
            InterviewEvent.question == slug,
            InterviewEvent.type.in_(STARTING_CODE_EVENTS),
        )
        .order_by(InterviewEvent.id.desc())
        .limit(1)
    )
    code = (latest.data or {}).get("code") if latest is not None else None
    return code if isinstance(code, str) else None


def starting_code(db: Session, session: InterviewSession, slug: str) -> str:
    """What the document starts from: the candidate's latest code before pair editing (a draft,
    run or submit), else the question's starter code."""
    latest = latest_sent_code(db, session.id, slug)
    if latest is not None:
        return latest
    starter = public_view(pinned_question(db, session, slug))["starter"]
    return str(starter.get(session.framework, ""))


def seed_doc(db: Session, session: InterviewSession, slug: str) -> None:
    """Write the starting text as the document's first update, once: on the server, so that two
    browsers opening an empty document together never both insert the starter code."""
    pinned_question(db, session, slug)  # 404 for a question that is not in this session
    if db.scalar(select(PairUpdate.id).where(*_of_doc(session.id, slug)).limit(1)) is not None:
        return
    _lock_session(db, session.id)
    doc: Doc[Any] = Doc()
    doc.get(CODE, type=Text).insert(0, editor_text(starting_code(db, session, slug)))
    _insert(db, session.id, slug, STARTER, doc.get_update(), first=True)


def edited_texts(db: Session, interview_id: int) -> dict[str, str]:
    """By question, the text of each of the session's documents that someone typed in (beyond
    the starting text the server wrote): read only, nothing is seeded. One read of the log."""
    rows = db.execute(
        select(PairUpdate.question, PairUpdate.role, PairUpdate.update)
        .where(PairUpdate.interview_id == interview_id)
        .order_by(PairUpdate.question, PairUpdate.seq)
    )
    docs: dict[str, Doc[Any]] = {}
    edited: set[str] = set()
    for question, role, update in rows:
        docs.setdefault(question, Doc()).apply_update(bytes(update))
        if role != STARTER:
            edited.add(question)
    return {question: text_of(docs[question]) for question in edited}


def shared_text(db: Session, session: InterviewSession, slug: str) -> str:
    """The document's text now (seeding it on first use), for a page to start from."""
    seed_doc(db, session, slug)
    return text_of(load_doc(db, session.id, slug))


def replace_text(doc: Doc, code: str) -> bytes:
    """Edit `doc` into `code` by replacing only the changed middle (so concurrent cursors
    elsewhere stay put); returns the update. pycrdt counts text offsets in UTF-8 bytes."""
    text = doc.get(CODE, type=Text)
    current = str(text)
    start = 0
    while start < min(len(current), len(code)) and current[start] == code[start]:
        start += 1
    end = 0
    while end < min(len(current), len(code)) - start and current[-1 - end] == code[-1 - end]:
        end += 1
    old_middle, new_middle = current[start : len(current) - end], code[start : len(code) - end]
    offset = code_bytes(current[:start])
    before = doc.get_state()
    with doc.transaction():
        if old_middle:
            del text[offset : offset + code_bytes(old_middle)]
        if new_middle:
            text.insert(offset, new_middle)
    return doc.get_update(before)


def write_text(db: Session, session: InterviewSession, slug: str, code: str, role: str) -> None:
    """Make the document's text `code` with LF line breaks (code posted without the shared
    editor: the API, a page without scripts), stored and sent to the open editors like any edit."""
    limit = settings_of(db).max_code_bytes
    code = editor_text(code)
    if code_bytes(code) > limit:
        raise PayloadTooLarge(f"the code is over the {limit // 1024} KiB limit")
    seed_doc(db, session, slug)
    doc = load_doc(db, session.id, slug)
    if text_of(doc) != code:
        append_update(db, session.id, slug, replace_text(doc, code), role, SERVER_ORIGIN)


def graded_code(
    db: Session,
    session: InterviewSession,
    slug: str,
    posted: str,
    snapshot: str | None,
    state_vector: str | None = None,
) -> str:
    """The code a run or submit grades: always the stored document's text.

    The shared editor sends its Yjs snapshot (base64: what it held as Run was pressed, its
    deletions included) once the server has acknowledged its edits; the stored document must
    hold every item and every deletion it names, else the candidate's last edits have not
    arrived (409, try again). A page from before snapshots sends a state vector alone, which
    checks the items only. Without either, the posted code becomes the document's text first.
    """
    if snapshot is None and state_vector is None:
        write_text(db, session, slug, posted, CANDIDATE)
        return editor_text(posted)
    try:
        if snapshot is not None:
            deletions, vector = split_snapshot(base64.b64decode(snapshot, validate=True))
        else:
            deletions, vector = EMPTY_UPDATE, base64.b64decode(state_vector or "", validate=True)
        seed_doc(db, session, slug)
        doc = load_doc(db, session.id, slug)
        text = text_of(doc)
        complete = covers(doc.get_state(), vector) and _holds_deletions(doc, deletions)
    except (binascii.Error, BadMessage) as exc:
        raise Invalid("doc_snapshot is not a Yjs snapshot in base64") from exc
    if not complete:
        raise Conflict("your latest edits have not reached the server yet; run again in a moment")
    return text


def _holds_deletions(doc: Doc, deletions: bytes) -> bool:
    """Whether `doc` (holding every item the deletions name) already made them: applying them
    again would delete text. `doc` is a throwaway copy: this may change it."""
    before = text_of(doc)
    try:
        doc.apply_update(deletions)
    except Exception as exc:  # pycrdt raises its own errors for an update it cannot read
        raise BadMessage("not a Yjs delete set") from exc
    return text_of(doc) == before
