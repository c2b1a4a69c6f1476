"""The interview's live side on the bus: its timeline as a stream, and the room socket."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from .conftest import Api, signup
from .support import Stack
from .test_events import Reader

NEW = {"questions": ["softmax"], "framework": "torch", "duration_min": 45, "title": "Live"}


def _session(interviewer: Api) -> tuple[int, str]:
    response = interviewer.post("/api/interviews", json=NEW)
    assert response.status_code == 201, response.text
    return int(response.json()["id"]), str(response.json()["candidate_token"])


def test_timeline_stream_follows_drafts_and_updates(interviewer: Api, client: TestClient) -> None:
    session_id, token = _session(interviewer)
    candidate = TestClient(client.app)
    assert candidate.get(f"/api/interview/{token}").status_code == 200  # `opened`
    first = interviewer.get(f"/api/interviews/{session_id}/timeline").json()
    reader = Reader(interviewer, f"/api/interviews/{session_id}/events?after={first[0]['id']}")
    reader.wait_count(1)
    assert reader.events[0]["event"] == "opened"

    for code in ("def softmax(x):\n    pass\n", "def softmax(x):\n    return x\n"):
        body = {"question": "softmax", "code": code}
        assert candidate.put(f"/api/interview/{token}/draft", json=body).status_code == 204
    reader.wait_count(3)
    drafts = [json.loads(e["data"]) for e in reader.events[1:3]]
    assert [d["type"] for d in drafts] == ["draft", "draft"]
    # Typed within seconds: one timeline entry, updated in place, announced as an update.
    assert drafts[0]["id"] == drafts[1]["id"] and drafts[1]["update"] is True
    assert drafts[1]["data"]["code"].endswith("return x\n")

    assert interviewer.post(f"/api/interviews/{session_id}/end").status_code == 200
    reader.wait_count(4)
    assert reader.events[3]["event"] == "ended"


def test_timeline_stream_is_the_interviewers_only(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, _ = _session(interviewer)
    stranger = signup(client, "interviewer", stack)
    assert stranger.get(f"/api/interviews/{session_id}/events").status_code == 404
    assert signup(client).get(f"/api/interviews/{session_id}/events").status_code == 403


def test_room_carries_the_candidates_code_to_the_interviewer(interviewer: Api, client: TestClient) -> None:
    session_id, token = _session(interviewer)
    watcher = TestClient(client.app)
    typist = TestClient(client.app)
    with watcher.websocket_connect(f"/api/interviews/{session_id}/room", headers=interviewer.headers) as seen:
        with typist.websocket_connect(f"/api/interview/{token}/room") as typing:
            assert seen.receive_json()["type"] == "join"  # the candidate came in
            typing.send_text(json.dumps({"type": "code", "question": "softmax", "code": "import torch\n"}))
            message = seen.receive_json()
            assert message["type"] == "code" and message["role"] == "candidate"
            assert message["question"] == "softmax" and message["code"] == "import torch\n"
        assert seen.receive_json()["type"] == "leave"


def test_room_refuses_strangers_other_sites_and_bad_messages(
    interviewer: Api, client: TestClient, stack: Stack
) -> None:
    session_id, token = _session(interviewer)
    stranger = signup(client, "interviewer", stack)
    for url, headers in (
        (f"/api/interviews/{session_id}/room", stranger.headers),
        (f"/api/interviews/{session_id}/room", {}),
        ("/api/interview/not-a-token/room", {}),
    ):
        with pytest.raises(WebSocketDisconnect), TestClient(client.app).websocket_connect(url, headers=headers):
            pass
    cross_site = interviewer.headers | {"Origin": "https://evil.example"}
    with pytest.raises(WebSocketDisconnect), TestClient(client.app).websocket_connect(
        f"/api/interviews/{session_id}/room", headers=cross_site
    ):
        pass
    # The interviewer only listens; the candidate sends code messages and nothing else.
    with TestClient(client.app).websocket_connect(f"/api/interview/{token}/room") as typing:
        typing.send_text("not json")
        with pytest.raises(WebSocketDisconnect) as closed:
            typing.receive_json()
        assert closed.value.code == 1008
    huge = {"type": "code", "question": "softmax", "code": "x" * (stack.settings.max_code_bytes + 1)}
    with TestClient(client.app).websocket_connect(f"/api/interview/{token}/room") as typing:
        typing.send_text(json.dumps(huge))
        with pytest.raises(WebSocketDisconnect) as closed:
            typing.receive_json()
        assert closed.value.code in (1008, 1009)
