"""Pair editing: the document sockets, their checks, the stored log, its replay and the graded
text, on SQLite + the embedded bus and on PostgreSQL + Redis."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pycrdt import Doc, Map, Text
from starlette.websockets import WebSocketDisconnect
from websockets.sync.client import ClientConnection

from app.core.errors import Conflict, Invalid
from app.events.bus import publish
from app.interviews.models import InterviewSession
from app.pairing import protocol
from app.pairing.history import text_history
from app.pairing.models import PairUpdate
from app.pairing.service import _insert, doc_channel, graded_code, load_doc, seed_doc, text_of
from app.questions.service import get_current, public_view

from .conftest import Api, signup
from .support import Stack
from .test_teams import _accept, _invite, _team

pytestmark = pytest.mark.timeout(120)
NEW = {"questions": ["softmax"], "framework": "torch", "duration_min": 45, "title": "Pairing", "candidate_name": "Ada"}


class Editor:
    """A browser's side of a document socket, with pycrdt standing in for Yjs."""

    def __init__(self, send: Callable[[bytes], None], receive: Callable[[], bytes]) -> None:
        self.send, self.receive = send, receive
        self.doc: Doc[Any] = Doc()
        self.text = self.doc.get("code", type=Text)
        self.cursors: dict[int, dict[str, Any]] = {}

    @classmethod
    def over(cls, socket: ClientConnection) -> Editor:
        """An editor on a real socket to a running server (`websockets`' client)."""

        def receive() -> bytes:
            message = socket.recv(timeout=10)
            assert isinstance(message, bytes)
            return message

        return cls(socket.send, receive)

    def next_message(self) -> protocol.Message:
        return self.handle(self.receive())

    def handle(self, raw: bytes) -> protocol.Message:
        """Apply what the server sent (its own sync step 1 needs no answer here)."""
        message = protocol.parse(raw, 10**7)
        if isinstance(message, protocol.DocUpdate):
            self.doc.apply_update(message.update)
        elif isinstance(message, protocol.AwarenessUpdate):
            for entry in message.entries:
                if entry.state is None:
                    self.cursors.pop(entry.client, None)
                else:
                    self.cursors[entry.client] = entry.state
        return message

    def sync(self) -> str:
        """Sync step 1, then read until the answer (which also acknowledges earlier edits)."""
        self.send(protocol.sync_message(protocol.STEP1, self.doc.get_state()))
        while True:
            raw = self.receive()
            self.handle(raw)
            if raw[:2] == bytes([protocol.SYNC, protocol.STEP2]):
                return str(self.text)

    def wait_text(self, wanted: Callable[[str], bool]) -> str:
        while not wanted(str(self.text)):
            self.next_message()
        return str(self.text)

    def type(self, at_end: str) -> None:
        before = self.doc.get_state()
        self.text += at_end
        self.send(protocol.sync_message(protocol.UPDATE, self.doc.get_update(before)))

    def point(self, name: str = "Interviewer") -> None:
        state = {"cursor": {"anchor": 1, "head": 2}, "user": {"name": name}}
        entry = protocol.AwarenessEntry(self.doc.client_id, 1, state)
        self.send(protocol.encode_awareness([entry]))


def _session(interviewer: Api) -> tuple[int, str]:
    response = interviewer.post("/api/interviews", json=NEW)
    assert response.status_code == 201, response.text
    return int(response.json()["id"]), str(response.json()["candidate_token"])


def _starter(stack: Stack) -> str:
    with stack.database.session() as db:
        return str(public_view(get_current(db, "softmax"))["starter"]["torch"])


def _editor(ws: Any) -> Editor:
    return Editor(ws.send_bytes, ws.receive_bytes)


def _snapshot(doc: Doc[Any]) -> str:
    """`Y.encodeSnapshot(Y.snapshot(doc))` in base64: a diff against a document's own state
    holds no items, only its delete set, after the item count (one zero byte)."""
    deletions = doc.get_update(doc.get_state())
    assert deletions[0] == 0
    return base64.b64encode(deletions[1:] + doc.get_state()).decode()


def _stored(stack: Stack, session_id: int) -> list[PairUpdate]:
    with stack.database.session() as db:
        rows = db.query(PairUpdate).filter_by(interview_id=session_id).order_by(PairUpdate.seq).all()
        db.expunge_all()
        return rows


# -- the protocol, without a server -----------------------------------------------------------


def test_messages_are_parsed_strictly() -> None:
    update = b"\x01\x02"
    assert protocol.parse(protocol.sync_message(protocol.UPDATE, update), 100) == protocol.DocUpdate(update)
    assert protocol.parse(protocol.sync_message(protocol.STEP2, update), 100) == protocol.DocUpdate(update)
    assert protocol.parse(protocol.sync_message(protocol.STEP1, b"\x00"), 100) == protocol.SyncStep1(b"\x00")
    entry = protocol.AwarenessEntry(7, 3, {"cursor": None})
    assert protocol.parse(protocol.encode_awareness([entry]), 100) == protocol.AwarenessUpdate([entry])
    refused = [
        b"",  # nothing
        bytes([3, 0]),  # an auth or query message: not accepted from browsers
        bytes([0, 9, 0]),  # an unknown sync step
        protocol.sync_message(protocol.UPDATE, update)[:-1],  # truncated
        protocol.sync_message(protocol.UPDATE, update) + b"\x00",  # trailing bytes
        protocol.sync_message(protocol.UPDATE, b"x" * 200),  # over the size given
        bytes([0]) + b"\xff" * 9,  # a number that never ends
        protocol.encode_awareness([protocol.AwarenessEntry(7, 3, None)])[:-2] + b"[]",  # not an object
    ]
    for message in refused:
        with pytest.raises(protocol.BadMessage):
            protocol.parse(message, 100)
    too_many = [protocol.AwarenessEntry(i, 1, {}) for i in range(protocol.MAX_AWARENESS_ENTRIES + 1)]
    with pytest.raises(protocol.BadMessage):
        protocol.parse(protocol.encode_awareness(too_many), 10_000)


def test_state_vectors_compare_per_client() -> None:
    doc: Doc[Any] = Doc()
    text = doc.get("code", type=Text)
    text += "a"
    older = doc.get_state()
    text += "b"
    assert protocol.covers(doc.get_state(), older) and not protocol.covers(older, doc.get_state())
    assert protocol.covers(older, Doc().get_state())


def test_snapshots_split_into_deletions_and_a_state_vector() -> None:
    # Made by Yjs 13.6 in a browser's place: "hello world" typed, then " world" deleted;
    # Y.encodeSnapshot(Y.snapshot(doc)) is the delete set, then the state vector.
    client = bytes.fromhex("b1c8bbe00f")
    made_by_yjs = bytes.fromhex("01" + client.hex() + "010506" + "01" + client.hex() + "0b")
    deletions, vector = protocol.split_snapshot(made_by_yjs)
    assert vector == bytes.fromhex("01" + client.hex() + "0b")
    assert protocol.state_vector_clocks(vector) == {4228834353: 11}
    assert deletions == bytes.fromhex("00" + "01" + client.hex() + "010506")  # an update, no items
    for broken in (made_by_yjs[:3], made_by_yjs + b"\x00", b"\xff" * 9):
        with pytest.raises(protocol.BadMessage):
            protocol.split_snapshot(broken)


# -- the sockets ------------------------------------------------------------------------------


def test_both_sides_edit_one_document_that_is_stored_and_replayed(
    interviewer: Api, client: TestClient, stack: Stack
) -> None:
    session_id, token = _session(interviewer)
    starter = _starter(stack)
    candidate_url, interviewer_url = f"/api/interview/{token}/doc/softmax", f"/api/interviews/{session_id}/doc/softmax"
    with (
        TestClient(client.app).websocket_connect(candidate_url) as cws,
        TestClient(client.app).websocket_connect(interviewer_url, headers=interviewer.headers) as iws,
    ):
        ada, boss = _editor(cws), _editor(iws)
        # Both start from the starter code, written once by the server.
        assert ada.sync() == starter and boss.sync() == starter
        ada.type("# candidate\n")
        assert boss.wait_text(lambda t: t.endswith("# candidate\n")) == starter + "# candidate\n"
        boss.type("# interviewer\n")
        assert ada.wait_text(lambda t: "# interviewer" in t) == starter + "# candidate\n# interviewer\n"
        ada.sync()  # the answer comes after the edit before it is stored

        # The cursor carries the name the server knows, whatever the page claimed.
        ada.point(name="Interviewer")
        message = boss.next_message()
        while not isinstance(message, protocol.AwarenessUpdate):
            message = boss.next_message()
        state = message.entries[0].state
        assert state is not None and state["user"]["name"] == "Ada" and state["user"]["role"] == "candidate"
    # A reload: a new socket gets the whole stored document.
    with TestClient(client.app).websocket_connect(candidate_url) as again:
        assert _editor(again).sync() == starter + "# candidate\n# interviewer\n"

    rows = _stored(stack, session_id)
    assert [row.seq for row in rows] == [1, 2, 3] and [row.role for row in rows] == [
        "starter",
        "candidate",
        "interviewer",
    ]
    with stack.database.session() as db:
        steps = list(text_history(db, session_id, "softmax"))
        assert text_of(load_doc(db, session_id, "softmax")) == starter + "# candidate\n# interviewer\n"
    assert [(s.role, s.text) for s in steps] == [
        ("starter", starter),
        ("candidate", starter + "# candidate\n"),
        ("interviewer", starter + "# candidate\n# interviewer\n"),
    ]
    assert steps[0].at <= steps[1].at <= steps[2].at


def test_edits_made_offline_are_sent_on_reconnecting(interviewer: Api, client: TestClient, stack: Stack) -> None:
    _, token = _session(interviewer)
    url = f"/api/interview/{token}/doc/softmax"
    with TestClient(client.app).websocket_connect(url) as ws:
        editor = _editor(ws)
        starter = editor.sync()
    editor.text += "# typed while offline\n"  # the socket is gone: nothing is sent yet
    with TestClient(client.app).websocket_connect(url) as ws:
        editor.send, editor.receive = ws.send_bytes, ws.receive_bytes
        server_has = editor.next_message()  # the server opens with its state vector
        assert isinstance(server_has, protocol.SyncStep1)
        missing = editor.doc.get_update(server_has.state_vector)
        editor.send(protocol.sync_message(protocol.STEP2, missing))  # as y-protocols answers it
        editor.sync()
    with TestClient(client.app).websocket_connect(url) as ws:
        assert _editor(ws).sync() == starter + "# typed while offline\n"


def test_a_gap_on_the_bus_is_filled_from_the_stored_log(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _session(interviewer)
    with client.websocket_connect(f"/api/interview/{token}/doc/softmax") as ws:
        editor = _editor(ws)
        starter = editor.sync()
        # Stored by another process whose announcement was lost (a Redis outage, an oversized
        # datagram): the bus then tells every subscriber to read the database again.
        other: Doc[Any] = Doc()
        other.apply_update(editor.doc.get_update())
        before = other.get_state()
        other.get("code", type=Text).insert(0, "# stored elsewhere\n")
        with stack.database.session() as db:
            _insert(db, session_id, "softmax", "interviewer", other.get_update(before))
        publish(stack.settings, doc_channel(session_id, "softmax"), {"refetch": True})
        assert editor.wait_text(lambda t: t.startswith("# stored elsewhere")) == "# stored elsewhere\n" + starter


def test_the_document_starts_from_the_latest_draft(interviewer: Api, client: TestClient) -> None:
    _, token = _session(interviewer)
    draft = {"question": "softmax", "code": "def softmax(x):\n    return x\n"}
    assert client.put(f"/api/interview/{token}/draft", json=draft).status_code == 204
    with client.websocket_connect(f"/api/interview/{token}/doc/softmax") as ws:
        assert _editor(ws).sync() == draft["code"]


def test_two_first_openings_seed_the_document_once(interviewer: Api, stack: Stack) -> None:
    session_id, _ = _session(interviewer)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_doc() -> None:
        try:
            barrier.wait()
            with stack.database.session() as db:
                session = db.get(InterviewSession, session_id)
                assert session is not None
                seed_doc(db, session, "softmax")
        except BaseException as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=open_doc) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [row.role for row in _stored(stack, session_id)] == ["starter"]
    with stack.database.session() as db:
        assert text_of(load_doc(db, session_id, "softmax")) == _starter(stack)


def _closed_with(ws: Any) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            ws.receive_bytes()
    return int(closed.value.code)


def test_bad_messages_close_the_socket_and_store_nothing(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _session(interviewer)
    url = f"/api/interview/{token}/doc/softmax"
    limit = stack.settings.max_code_bytes

    def attempt(send: Callable[[Any, Editor], None]) -> int:
        with TestClient(client.app).websocket_connect(url) as ws:
            editor = _editor(ws)
            editor.sync()
            send(ws, editor)
            return _closed_with(ws)

    assert attempt(lambda ws, e: ws.send_text("{}")) == 1008
    assert attempt(lambda ws, e: ws.send_bytes(bytes([3, 0]))) == 1008  # not a sync or awareness message
    assert attempt(lambda ws, e: ws.send_bytes(protocol.sync_message(protocol.UPDATE, b"\x07junk"))) == 1008
    assert attempt(lambda ws, e: e.type("x" * (limit + 1))) == 1009  # the text would pass the limit
    assert attempt(lambda ws, e: e.type("a\r\nb")) == 1008  # the editors keep LF line breaks only
    assert attempt(lambda ws, e: ws.send_bytes(b"\x00\x02" + b"\xff" * (3 * limit))) == 1009  # the message

    def other_root(ws: Any, editor: Editor) -> None:
        before = editor.doc.get_state()
        editor.doc.get("notes", type=Map)["x"] = "y" * 100
        ws.send_bytes(protocol.sync_message(protocol.UPDATE, editor.doc.get_update(before)))

    assert attempt(other_root) == 1008  # only the "code" text may be in the document

    def two_cursors(ws: Any, editor: Editor) -> None:
        editor.point()
        entry = protocol.AwarenessEntry(editor.doc.client_id + 1, 1, {"cursor": None})
        ws.send_bytes(protocol.encode_awareness([entry]))

    assert attempt(two_cursors) == 1008  # a page speaks for its own cursor only
    assert [row.role for row in _stored(stack, session_id)] == ["starter"]


def test_document_sockets_are_authorised_like_rooms(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _session(interviewer)
    stranger = signup(client, "interviewer", stack)
    refused = [
        (f"/api/interviews/{session_id}/doc/softmax", stranger.headers),  # not their session
        (f"/api/interviews/{session_id}/doc/softmax", signup(client).headers),  # not an interviewer
        (f"/api/interviews/{session_id}/doc/softmax", {}),
        ("/api/interview/not-a-token/doc/softmax", {}),
        ("/interview/doc/softmax", {}),  # the page's socket, without the link's cookie
        (f"/api/interview/{token}/doc/linear-regression", {}),  # not a question of this session
        (f"/api/interviews/{session_id}/doc/softmax", interviewer.headers | {"Origin": "https://evil.example"}),
    ]
    for url, headers in refused:
        with pytest.raises(WebSocketDisconnect), TestClient(client.app).websocket_connect(url, headers=headers) as ws:
            ws.receive_bytes()
    assert _stored(stack, session_id) == []  # nothing was seeded for them either

    # Once the session is over the candidate's link is closed and the interviewer reads only.
    assert interviewer.post(f"/api/interviews/{session_id}/end").status_code == 200
    with (
        pytest.raises(WebSocketDisconnect),
        TestClient(client.app).websocket_connect(f"/api/interview/{token}/doc/softmax") as ws,
    ):
        ws.receive_bytes()
    url = f"/api/interviews/{session_id}/doc/softmax"
    with TestClient(client.app).websocket_connect(url, headers=interviewer.headers) as ws:
        editor = _editor(ws)
        assert editor.sync() == _starter(stack)
        editor.type("# too late\n")
        assert _closed_with(ws) == 1008
    assert [row.role for row in _stored(stack, session_id)] == ["starter"]


def test_a_teammate_of_the_interviewer_edits_too(admin: Api, client: TestClient, stack: Stack) -> None:
    team = _team(admin)
    owner, teammate = (_accept(client, _invite(admin, team_id=team)["token"]) for _ in range(2))
    session_id, _ = _session(owner)
    url = f"/api/interviews/{session_id}/doc/softmax"
    with TestClient(client.app).websocket_connect(url, headers=teammate.headers) as ws:
        editor = _editor(ws)
        editor.sync()
        editor.type("# from a teammate\n")
        editor.sync()
    assert [row.role for row in _stored(stack, session_id)] == ["starter", "interviewer"]


# -- what runs and submits grade ----------------------------------------------------------------


def test_runs_grade_the_stored_document(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _session(interviewer)
    with client.websocket_connect(f"/api/interview/{token}/doc/softmax") as ws:
        editor = _editor(ws)
        editor.sync()
        editor.type("# shared\n")
        editor.sync()  # acknowledged: stored
        vector = base64.b64encode(editor.doc.get_state()).decode()
        ahead: Doc[Any] = Doc()
        ahead.apply_update(editor.doc.get_update())
        ahead.get("code", type=Text).insert(0, "# not sent\n")
        with stack.database.session() as db:
            session = db.get(InterviewSession, session_id)
            assert session is not None
            # The posted text is ignored: the stored document is graded.
            assert graded_code(db, session, "softmax", "posted", _snapshot(editor.doc)) == str(editor.text)
            with pytest.raises(Conflict):
                graded_code(db, session, "softmax", "posted", _snapshot(ahead))
            # A page from before snapshots sends its state vector alone.
            assert graded_code(db, session, "softmax", "posted", None, vector) == str(editor.text)
            with pytest.raises(Conflict):
                graded_code(db, session, "softmax", "posted", None, base64.b64encode(ahead.get_state()).decode())

        # A deletion leaves the state vector as it was: the snapshot names it, and a document
        # without it is refused until the editor's update is stored.
        before = editor.doc.get_state()
        end = len(str(editor.text).encode())  # pycrdt counts UTF-8 bytes
        del editor.text[end - len("# shared\n") : end]
        deletion = editor.doc.get_update(before)
        assert editor.doc.get_state() == before
        with stack.database.session() as db:
            session = db.get(InterviewSession, session_id)
            assert session is not None
            with pytest.raises(Conflict):
                graded_code(db, session, "softmax", "posted", _snapshot(editor.doc))
        editor.send(protocol.sync_message(protocol.UPDATE, deletion))
        editor.sync()  # acknowledged: stored
        with stack.database.session() as db:
            session = db.get(InterviewSession, session_id)
            assert session is not None
            assert graded_code(db, session, "softmax", "posted", _snapshot(editor.doc)) == str(editor.text)
            assert "# shared" not in str(editor.text)
            with pytest.raises(Invalid):
                graded_code(db, session, "softmax", "posted", base64.b64encode(b"\x05").decode())

        # Code posted without the editor (the API) becomes the document, with the editor's line
        # breaks, and the editor sees it.
        code = "def softmax(x):\n    return x.softmax(-1)\n"
        body = {"question": "softmax", "code": code.replace("\n", "\r\n"), "mode": "run"}
        response = TestClient(client.app).post(f"/api/interview/{token}/submissions", json=body)
        assert response.status_code == 202, response.text
        assert editor.wait_text(lambda t: t == code) == code
    with stack.database.session() as db:
        assert text_of(load_doc(db, session_id, "softmax")) == code
        assert list(text_history(db, session_id, "softmax"))[-1].role == "candidate"
