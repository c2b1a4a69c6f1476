"""Playback of a question's editing history: what the report's player downloads, who may read
it, and the limits. Both backends, real grading for the markers' verdicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.interviews import playback
from app.interviews import service as interviews
from tests.interviews.replay import replay

from .conftest import Api, signup
from .support import Stack, WorkerProcess
from .test_integrity import _session as started_session
from .test_pairing import Editor

SOLUTIONS = Path("questions/softmax/solutions")
STARTER = Path("questions/softmax/torch/starter.py").read_text()


def _session(interviewer: Api, client: TestClient) -> tuple[str, int, Api]:
    """A started session and the candidate on its link (no account)."""
    token, session_id, anonymous = started_session(interviewer, client)
    candidate = Api(anonymous, "", "")
    candidate.headers = {}
    return token, session_id, candidate


def _draft(candidate: Api, token: str, code: str) -> None:
    assert candidate.put(f"/api/interview/{token}/draft", json={"question": "softmax", "code": code}).status_code == 204


def _run(candidate: Api, token: str, code: str) -> dict[str, Any]:
    response = candidate.post(f"/api/interview/{token}/submissions", json={"question": "softmax", "code": code})
    assert response.status_code == 202, response.text
    return candidate.wait_done(response.json()["id"], prefix=f"/api/interview/{token}/submissions")


def _playback(api: Api, session_id: int) -> Any:
    return api.get(f"/api/interviews/{session_id}/playback/softmax")


def test_playback_replays_drafts_and_runs_with_their_verdicts(
    interviewer: Api, client: TestClient, worker: WorkerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interviews, "DRAFT_MERGE_S", 0.0)  # every draft its own entry
    token, session_id, candidate = _session(interviewer, client)
    wrong, stable = (SOLUTIONS / "wrong_axis.torch.py").read_text(), (SOLUTIONS / "stable.torch.py").read_text()
    typed = "import torch\r\n\r\ndef softmax(x):  # \u00e9tape \U0001f600\r\n    pass\r\n"
    _draft(candidate, token, typed)
    _draft(candidate, token, wrong[:40])
    first = _run(candidate, token, wrong)
    _draft(candidate, token, wrong + "# fixing the axis \u2192 -1\n")
    second = _run(candidate, token, stable)
    assert (first["status"], second["status"]) == ("wrong_answer", "accepted")

    response = _playback(interviewer, session_id)
    assert response.status_code == 200 and response.headers["cache-control"] == "private, no-store"
    data = response.json()
    assert data["question"] == "softmax" and data["source"] == "timeline" and data["roles"] == ["candidate"]
    assert data["runs_total"] == 2
    states = replay(data)
    # CRLF line breaks (as a form sends them) replay as the editor's LF.
    expected = [
        STARTER,
        typed.replace("\r\n", "\n"),
        wrong[:40],
        wrong,
        wrong + "# fixing the axis \u2192 -1\n",
        stable,
    ]
    assert states == expected
    times = [frame[0] for frame in data["frames"]]
    assert times == sorted(times) and data["coalesced"] is None

    run1, run2 = data["markers"]
    assert (run1["number"], run1["kind"], run1["submission_id"]) == (1, "run", first["id"])
    assert states[run1["step"]] == wrong and states[run2["step"]] == stable
    assert run1["status"] == "wrong_answer" and run1["passed"] < run1["total"]
    failing = next(t for t in first["verdict"]["tests"] if not t["passed"])
    assert run1["failing_test"]["name"] == failing["name"]
    assert run2["status"] == "accepted" and run2["failing_test"] is None and run2["passed"] == run2["total"]
    assert run1["t"] <= run2["t"] and run2["event_id"] > run1["event_id"]
    # Small diffs, not copies: the comment typed after the first run is all that step sends.
    assert data["frames"][3][2:] == [len(wrong), 0, "# fixing the axis \u2192 -1\n"]


def test_only_those_who_may_read_the_report_read_the_playback(
    interviewer: Api, admin: Api, client: TestClient, stack: Stack
) -> None:
    token, session_id, candidate = _session(interviewer, client)
    _draft(candidate, token, "def softmax(x):\n    return x  # secret-draft\n")
    assert "secret-draft" in _playback(interviewer, session_id).text
    assert "secret-draft" in _playback(admin, session_id).text

    # A teammate reads it; an interviewer of no team in common, a candidate account and the
    # candidate's link get nothing.
    team = admin.post("/api/admin/teams", json={"name": f"playback-{session_id}-{stack.name}"}).json()["id"]
    teammate = signup(client, "interviewer", stack)
    for member in (interviewer, teammate):
        user_id = member.get("/api/auth/me").json()["id"]
        assert admin.put(f"/api/admin/users/{user_id}/team", json={"team_id": team}).status_code == 204
    assert _playback(teammate, session_id).status_code == 200
    assert _playback(signup(client, "interviewer", stack), session_id).status_code == 404
    assert _playback(signup(client), session_id).status_code == 403
    assert _playback(candidate, session_id).status_code == 401
    assert candidate.get(f"/api/interview/{token}/playback/softmax").status_code in (404, 405)
    assert "secret-draft" not in candidate.get(f"/api/interview/{token}").text

    assert interviewer.get(f"/api/interviews/{session_id}/playback/layer-norm").status_code == 404
    assert interviewer.get(f"/api/interviews/{session_id}/playback/{'x' * 65}").status_code == 422
    assert interviewer.get(f"/api/interviews/{10**9}/playback/softmax").status_code == 404


def test_before_the_start_and_without_edits(interviewer: Api, client: TestClient) -> None:
    _token, waiting_id, _candidate = started_session(interviewer, client, start=False)
    waiting = _playback(interviewer, waiting_id).json()
    assert waiting["frames"] == [] and waiting["markers"] == [] and waiting["initial"] == ""
    _token, session_id, _candidate = _session(interviewer, client)
    opened = _playback(interviewer, session_id).json()
    assert opened["initial"] == STARTER and opened["frames"] == []


def test_a_long_history_is_coalesced_within_the_limits(
    interviewer: Api, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interviews, "DRAFT_MERGE_S", 0.0)
    monkeypatch.setattr(playback, "MAX_FRAMES", 10)
    monkeypatch.setattr(playback, "MAX_BYTES", 3000)
    monkeypatch.setattr(playback, "MAX_MARKERS", 2)
    token, session_id, candidate = _session(interviewer, client)
    drafts = [f"def softmax(x):\n    return x  # {i}\n" + "#" * 400 * (i % 2) for i in range(30)]
    for i, code in enumerate(drafts):
        _draft(candidate, token, code)
        if i % 10 == 9:  # three runs; two are marked, the last among them
            body = {"question": "softmax", "code": code}
            assert candidate.post(f"/api/interview/{token}/submissions", json=body).status_code == 202
    data = _playback(interviewer, session_id).json()
    assert data["coalesced"] == {"snapshots": 30, "steps": len(data["frames"])}
    assert data["runs_total"] == 3 and [m["number"] for m in data["markers"]] == [1, 3]
    assert replay(data)[data["markers"][1]["step"]] == drafts[29]
    assert len(data["frames"]) <= 10
    assert sum(len(json.dumps(frame)) for frame in data["frames"]) <= 3000
    assert replay(data)[-1] == drafts[-1]  # the final code is always there


def test_typing_in_the_shared_editor_replays_keystroke_by_keystroke(
    interviewer: Api, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits through the document socket are finer than the timeline's drafts (merged when
    close together), so the player replays those, with who typed each."""
    monkeypatch.setattr(interviews, "DRAFT_MERGE_S", 0.0)
    token, session_id, candidate = _session(interviewer, client)
    _draft(candidate, token, STARTER + "# saved once\n")  # a draft the page saved meanwhile
    url = f"/api/interview/{token}/doc/softmax"
    with TestClient(client.app).websocket_connect(url) as candidate_socket:
        editor = Editor(candidate_socket.send_bytes, candidate_socket.receive_bytes)
        opening = editor.sync()
        for key in "abc":
            editor.type(key)
        editor.sync()  # answered once every edit before it is stored
    with TestClient(client.app).websocket_connect(
        f"/api/interviews/{session_id}/doc/softmax", headers=interviewer.headers
    ) as interviewer_socket:
        boss = Editor(interviewer_socket.send_bytes, interviewer_socket.receive_bytes)
        boss.sync()
        boss.type("!")
        boss.sync()

    data = _playback(interviewer, session_id).json()
    assert data["source"] == "keystrokes"
    assert replay(data) == [opening, opening + "a", opening + "ab", opening + "abc", opening + "abc!"]
    assert [data["roles"][frame[1]] for frame in data["frames"]] == ["candidate"] * 3 + ["interviewer"]
    assert [frame[2:] for frame in data["frames"]] == [[len(opening) + i, 0, key] for i, key in enumerate("abc!")]


def test_an_api_client_that_only_posts_code_replays_from_its_drafts(
    interviewer: Api, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code posted with a run also reaches the shared document, once per run; the drafts on
    the timeline are the finer history there."""
    monkeypatch.setattr(interviews, "DRAFT_MERGE_S", 0.0)
    token, session_id, candidate = _session(interviewer, client)
    for line in ("# one\n", "# two\n", "# three\n"):
        _draft(candidate, token, STARTER + line)
    response = candidate.post(f"/api/interview/{token}/submissions", json={"question": "softmax", "code": STARTER})
    assert response.status_code == 202, response.text
    data = _playback(interviewer, session_id).json()
    assert data["source"] == "timeline"
    assert replay(data)[1:4] == [STARTER + "# one\n", STARTER + "# two\n", STARTER + "# three\n"]
