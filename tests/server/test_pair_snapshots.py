"""Snapshots of shared documents: loading from one gives what replaying the whole log gives, for
any edits (concurrent ones included); they are written as the log grows, one row per document,
never older than the one stored; unreadable ones fall back to the log; playback still sees
every keystroke. On SQLite and on PostgreSQL."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Text
from sqlalchemy import select, update

from app.accounts.models import Role
from app.accounts.service import create_user
from app.interviews.service import create_session
from app.pairing import service, snapshots
from app.pairing.history import text_history
from app.pairing.models import PairSnapshot, PairUpdate
from app.pairing.protocol import state_vector_clocks

from .conftest import Api
from .support import Stack
from .test_pairing import _editor, _session

pytestmark = pytest.mark.timeout(300)


@contextmanager
def snapshot_every(count: int) -> Iterator[None]:
    with mock.patch.object(snapshots, "SNAPSHOT_EVERY", count):
        yield


@pytest.fixture(scope="module")
def session_id(stack: Stack) -> int:
    """One session; each test (and each generated example) edits a question of its own."""
    with stack.database.session() as db:
        user = create_user(db, f"snap-{uuid.uuid4().hex[:8]}@example.com", "correct horse", Role.INTERVIEWER)
        session, _ = create_session(db, user, questions=["softmax"], framework="torch", duration_min=600)
        return session.id


def new_slug() -> str:
    return f"q-{uuid.uuid4().hex[:12]}"


class TwoEditors:
    """Two pycrdt documents standing in for two browsers: each edits its own copy and sees the
    other's edits only when they are delivered, so updates are concurrent as on a slow network."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.docs: list[Doc[Any]] = [Doc(), Doc()]
        self.undelivered: list[list[bytes]] = [[], []]  # updates each side has not received

    def edit(self, who: int) -> bytes:
        doc = self.docs[who]
        text = doc.get(service.CODE, type=Text)
        length = len(str(text).encode())  # pycrdt counts UTF-8 bytes: the alphabet is ASCII
        before = doc.get_state()
        if length and self.random.random() < 0.3:
            at = self.random.randrange(length)
            del text[at : at + 1]
        else:
            text.insert(self.random.randrange(length + 1), self.random.choice("ab(x)\n "))
        made = doc.get_update(before)
        self.undelivered[1 - who].append(made)
        return made

    def deliver(self, to: int) -> None:
        for sent in self.undelivered[to]:
            self.docs[to].apply_update(sent)
        self.undelivered[to].clear()


def append(stack: Stack, session_id: int, slug: str, update: bytes, role: str = service.CANDIDATE) -> int:
    with stack.database.session() as db:
        return service.append_update(db, session_id, slug, update, role, "test")


def replayed_from_the_whole_log(stack: Stack, session_id: int, slug: str, upto: int | None = None) -> Doc[Any]:
    """The document the way it was loaded before snapshots: every stored update, in order."""
    query = select(PairUpdate.update).where(PairUpdate.interview_id == session_id, PairUpdate.question == slug)
    if upto is not None:
        query = query.where(PairUpdate.seq <= upto)
    doc: Doc[Any] = Doc()
    with stack.database.session() as db:
        for row in db.scalars(query.order_by(PairUpdate.seq)):
            doc.apply_update(bytes(row))
    return doc


def stored_snapshots(stack: Stack, session_id: int, slug: str) -> list[PairSnapshot]:
    with stack.database.session() as db:
        rows = list(
            db.scalars(
                select(PairSnapshot).where(PairSnapshot.interview_id == session_id, PairSnapshot.question == slug)
            )
        )
        db.expunge_all()
        return rows


def assert_same_doc(loaded: Doc[Any], expected: Doc[Any]) -> None:
    assert service.text_of(loaded) == service.text_of(expected)
    # The same items from every client (a state vector's encoding does not fix the clients' order).
    assert state_vector_clocks(loaded.get_state()) == state_vector_clocks(expected.get_state())


def type_keys(stack: Stack, session_id: int, slug: str, count: int, seed: int = 1) -> TwoEditors:
    editors = TwoEditors(seed)
    for i in range(count):
        append(stack, session_id, slug, editors.edit(i % 2))
    return editors


# -- loading ----------------------------------------------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plan=st.lists(st.tuples(st.integers(0, 1), st.booleans()), min_size=1, max_size=40),
    every=st.integers(2, 9),
    seed=st.integers(0, 2**16),
)
def test_loading_from_snapshots_equals_replaying_the_whole_log(
    stack: Stack, session_id: int, plan: list[tuple[int, bool]], every: int, seed: int
) -> None:
    """Each step: one side edits, and maybe receives what the other typed meanwhile."""
    slug, editors = new_slug(), TwoEditors(seed)
    with snapshot_every(every):
        for who, deliver in plan:
            append(stack, session_id, slug, editors.edit(who), ("candidate", "interviewer")[who])
            if deliver:
                editors.deliver(1 - who)
    with stack.database.session() as db:
        loaded = service.load_doc(db, session_id, slug)
        for upto in range(len(plan) + 1):  # every earlier point too: the snapshot may lie past it
            assert_same_doc(
                snapshots.replay(db, session_id, slug, upto=upto).doc,
                replayed_from_the_whole_log(stack, session_id, slug, upto),
            )
    assert_same_doc(loaded, replayed_from_the_whole_log(stack, session_id, slug))
    editors.deliver(0), editors.deliver(1)
    assert service.text_of(loaded) == service.text_of(editors.docs[0]) == service.text_of(editors.docs[1])
    expected = len(plan) - len(plan) % every if len(plan) >= every else None
    assert [row.seq for row in stored_snapshots(stack, session_id, slug)] == ([expected] if expected else [])


def test_a_long_tail_triggers_a_snapshot_and_the_socket_loads_from_it(stack: Stack, session_id: int) -> None:
    slug = new_slug()
    with snapshot_every(10):
        type_keys(stack, session_id, slug, 9)
        assert stored_snapshots(stack, session_id, slug) == []
        type_keys(stack, session_id, slug, 1, seed=2)
        [first] = stored_snapshots(stack, session_id, slug)
        type_keys(stack, session_id, slug, 9, seed=3)
        assert [row.seq for row in stored_snapshots(stack, session_id, slug)] == [10]
        type_keys(stack, session_id, slug, 1, seed=4)
    [second] = stored_snapshots(stack, session_id, slug)
    assert (first.seq, second.seq) == (10, 20)
    whole = replayed_from_the_whole_log(stack, session_id, slug)
    with stack.database.session() as db:
        sizes = [len(row) for row in db.scalars(select(PairUpdate.update).where(PairUpdate.question == slug))]
        state, log_bytes = service.stored_state(db, session_id, slug)
    assert second.log_bytes == sum(sizes) == log_bytes  # what the socket caps the log by
    restored: Doc[Any] = Doc()
    restored.apply_update(state)
    assert_same_doc(restored, whole)


def test_a_snapshot_holds_exactly_the_updates_up_to_its_number(stack: Stack, session_id: int) -> None:
    """Updates stored after the appender's own number (by a writer that did not wait for it) stay
    out of its snapshot."""
    slug = new_slug()
    type_keys(stack, session_id, slug, 12)
    with snapshot_every(5), stack.database.session() as db:
        assert snapshots.snapshot_if_due(db, session_id, slug, 6)
    [row] = stored_snapshots(stack, session_id, slug)
    assert row.seq == 6
    snapshot_doc = snapshots.restored(row)
    assert snapshot_doc is not None
    assert_same_doc(snapshot_doc, replayed_from_the_whole_log(stack, session_id, slug, upto=6))
    assert service.text_of(snapshot_doc) != service.text_of(replayed_from_the_whole_log(stack, session_id, slug))


def test_an_older_snapshot_never_replaces_a_newer_one(stack: Stack, session_id: int) -> None:
    slug = new_slug()
    with snapshot_every(6):
        type_keys(stack, session_id, slug, 8)
    with stack.database.session() as db:
        older = snapshots.replay(db, session_id, slug, upto=3)
        snapshots.write_snapshot(db, session_id, slug, older)  # a writer that read before seq 6
    [kept] = stored_snapshots(stack, session_id, slug)
    assert kept.seq == 6
    with stack.database.session() as db:
        snapshots.write_snapshot(db, session_id, slug, snapshots.replay(db, session_id, slug))
    [newer] = stored_snapshots(stack, session_id, slug)
    assert newer.seq == 8


def test_two_writers_appending_at_once_leave_one_exact_snapshot(stack: Stack, session_id: int) -> None:
    slug, keys_each = new_slug(), 25
    barrier, errors = threading.Barrier(2), []

    def typist(seed: int) -> None:
        try:
            barrier.wait()
            type_keys(stack, session_id, slug, keys_each, seed)
        except BaseException as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    with snapshot_every(7):
        threads = [threading.Thread(target=typist, args=(seed,)) for seed in (11, 12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    [row] = stored_snapshots(stack, session_id, slug)
    assert row.seq == 2 * keys_each - (2 * keys_each) % 7
    snapshot_doc = snapshots.restored(row)
    assert snapshot_doc is not None
    assert_same_doc(snapshot_doc, replayed_from_the_whole_log(stack, session_id, slug, upto=row.seq))
    with stack.database.session() as db:
        assert_same_doc(service.load_doc(db, session_id, slug), replayed_from_the_whole_log(stack, session_id, slug))


# -- stored bytes are not trusted ----------------------------------------------------------------


def _tamper(stack: Stack, session_id: int, slug: str, state: bytes, digest: str | None = None) -> None:
    with stack.database.session() as db:
        values: dict[str, Any] = {"state": state} | ({"digest": digest} if digest else {})
        db.execute(update(PairSnapshot).where(PairSnapshot.question == slug).values(**values))


@pytest.mark.parametrize("damage", ["one byte changed", "truncated", "not yjs, digest matching"])
def test_an_unreadable_snapshot_falls_back_to_the_whole_log(
    stack: Stack, session_id: int, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    slug = new_slug()
    with snapshot_every(5):
        type_keys(stack, session_id, slug, 12)
    [good] = stored_snapshots(stack, session_id, slug)
    state = bytes(good.state)
    if damage == "one byte changed":  # may still decode, as other text: only the digest tells
        _tamper(stack, session_id, slug, state[:-8] + bytes([state[-8] ^ 0x01]) + state[-7:])
    elif damage == "truncated":
        _tamper(stack, session_id, slug, state[: len(state) // 2])
    else:
        junk = b"\xff" * 40
        _tamper(stack, session_id, slug, junk, snapshots.digest_of(junk))
    whole = replayed_from_the_whole_log(stack, session_id, slug)
    with stack.database.session() as db:
        assert_same_doc(service.load_doc(db, session_id, slug), whole)
        _, log_bytes = service.stored_state(db, session_id, slug)
        assert log_bytes == good.log_bytes + sum(
            len(row)
            for row in db.scalars(select(PairUpdate.update).where(PairUpdate.question == slug, PairUpdate.seq > 10))
        )
    assert "unreadable snapshot" in caplog.text
    # The next snapshot is built from the log, not from the damaged one, and replaces it.
    with snapshot_every(5):
        type_keys(stack, session_id, slug, 3, seed=9)
    [healed] = stored_snapshots(stack, session_id, slug)
    assert healed.seq == 15 and snapshots.restored(healed) is not None
    with stack.database.session() as db:
        assert_same_doc(service.load_doc(db, session_id, slug), replayed_from_the_whole_log(stack, session_id, slug))


def test_a_socket_opens_a_document_whose_snapshot_is_damaged(
    interviewer: Api, client: TestClient, stack: Stack
) -> None:
    interview_id, token = _session(interviewer)
    url = f"/api/interview/{token}/doc/softmax"
    with snapshot_every(4), TestClient(client.app).websocket_connect(url) as ws:
        editor = _editor(ws)
        editor.sync()
        for key in "abcdef":
            editor.type(key)
        typed = editor.sync()
    assert [row.seq for row in stored_snapshots(stack, interview_id, "softmax")] == [4]
    _tamper(stack, interview_id, "softmax", b"\x00\x01\x02")
    with TestClient(client.app).websocket_connect(url) as again:
        assert _editor(again).sync() == typed


# -- the log stays whole ------------------------------------------------------------------------


def test_playback_still_sees_every_keystroke(stack: Stack, session_id: int) -> None:
    slug, keys = new_slug(), 23
    typed: list[tuple[str, str]] = []  # (role, text after the key): every key changes the text
    with snapshot_every(5):
        editors = TwoEditors(5)
        for i in range(keys):
            role = service.INTERVIEWER if i % 3 == 0 else service.CANDIDATE
            append(stack, session_id, slug, editors.edit(0), role)
            typed.append((role, service.text_of(editors.docs[0])))
    assert [row.seq for row in stored_snapshots(stack, session_id, slug)] == [20]
    with stack.database.session() as db:
        last = select(PairUpdate.seq).where(PairUpdate.question == slug).order_by(PairUpdate.seq.desc()).limit(1)
        assert db.scalar(last) == keys  # nothing was taken out of the log
        steps = list(text_history(db, session_id, slug))
    assert [(step.role, step.text) for step in steps] == typed
