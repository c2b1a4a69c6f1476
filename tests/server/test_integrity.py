"""Integrity signals: the candidate's page reports pastes and time away; the interviewer's report
counts them and scores the final code's similarity. Both backends."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.database import utcnow
from app.interviews import integrity
from app.interviews.models import InterviewSession

from .conftest import Api, signup
from .support import Stack

NEW = {"questions": ["softmax"], "framework": "torch", "duration_min": 45, "candidate_name": "Ada"}
REFERENCE = Path("questions/softmax/torch/reference.py").read_text()
PASTE = {"type": "paste", "question": "softmax", "chars": 1234, "lines": 40, "text": "pasted_marker = 1\n" * 40}


def _session(interviewer: Api, client: TestClient, *, start: bool = True) -> tuple[str, int, TestClient]:
    response = interviewer.post("/api/interviews", json=NEW)
    assert response.status_code == 201, response.text
    token, session_id = response.json()["candidate_token"], response.json()["id"]
    anonymous = TestClient(client.app)
    if start:
        assert anonymous.get(f"/api/interview/{token}").status_code == 200  # opens the session
    return token, session_id, anonymous


def _unique_solution() -> str:
    """A softmax nobody else in the test run writes: its own loop shape and constant count."""
    extra = "\n".join(f"    s{i} = s{i - 1} * 1.0" if i else "    s0 = total" for i in range(uuid.uuid4().int % 5 + 3))
    return (
        "import torch\n\n\ndef softmax(x: torch.Tensor) -> torch.Tensor:\n"
        "    m = x.max(dim=-1, keepdim=True).values\n    e = torch.exp(x - m)\n"
        f"    total = e.sum(dim=-1, keepdim=True)\n{extra}\n    return e / total\n"
    )


def test_signals_reach_the_timeline_and_the_report(interviewer: Api, client: TestClient) -> None:
    token, session_id, anonymous = _session(interviewer, client)
    url = f"/api/interview/{token}/signals"
    assert anonymous.post(url, json=PASTE).status_code == 204
    assert anonymous.post(url, json=PASTE | {"chars": 300, "lines": 2, "text": "y" * 300}).status_code == 204
    hidden = {"type": "hidden", "question": "softmax", "seconds": 125.0, "reason": "hidden"}
    assert anonymous.post(url, json=hidden).status_code == 204
    assert anonymous.post(url, json={"type": "hidden", "seconds": 5, "reason": "blur"}).status_code == 204

    timeline = interviewer.get(f"/api/interviews/{session_id}/timeline").json()
    pastes = [e for e in timeline if e["type"] == "paste"]
    assert [p["data"]["chars"] for p in pastes] == [1234, 300]
    assert pastes[0]["data"]["text"] == PASTE["text"] and pastes[0]["data"]["truncated"] is True
    away = [e for e in timeline if e["type"] == "hidden"]
    assert [a["data"]["seconds"] for a in away] == [125.0, 5.0] and away[1]["data"]["reason"] == "blur"

    report = interviewer.get(f"/api/interviews/{session_id}/report").json()
    summary = report["integrity"]["summary"]
    assert summary["paste_count"] == 2 and summary["largest_paste_chars"] == 1234
    assert summary["largest_paste_lines"] == 40 and summary["largest_paste_event"] == pastes[0]["id"]
    assert summary["hidden_count"] == 2 and summary["hidden_total_s"] == 130.0
    assert "not evidence of cheating" in report["integrity"]["caveats"]["paste"]
    assert "never an automatic verdict" in report["integrity"]["note"]

    # The candidate reads none of it back: not in the session view, and the interviewer's API
    # answers no one without an account.
    view = anonymous.get(f"/api/interview/{token}").text
    assert "pasted_marker" not in view and '"paste"' not in view and "seconds" not in view
    assert anonymous.get(f"/api/interviews/{session_id}/timeline").status_code == 401
    assert anonymous.get(f"/api/interviews/{session_id}/report").status_code == 401


def test_signals_refused_when_malformed_oversized_or_closed(interviewer: Api, client: TestClient, stack: Stack) -> None:
    token, session_id, anonymous = _session(interviewer, client, start=False)
    url = f"/api/interview/{token}/signals"
    not_started = anonymous.post(url, json=PASTE)
    assert not_started.status_code == 409 and "not started" in not_started.json()["message"]
    assert anonymous.get(f"/api/interview/{token}").status_code == 200

    malformed = [
        PASTE | {"text": "z" * 8193},  # over the 8 KiB kept
        PASTE | {"extra": 1},
        PASTE | {"chars": 0},
        {"type": "copy", "question": "softmax"},
        {"type": "hidden", "seconds": -1},
        {"type": "hidden", "seconds": 86401},
        {"type": "hidden", "seconds": 3, "reason": "asleep"},
        {"type": "paste", "question": "softmax", "chars": 5, "lines": 1},  # no text
    ]
    for body in malformed:
        assert anonymous.post(url, json=body).status_code == 422, body
    assert anonymous.post(url, content=b"{not json", headers={"Content-Type": "application/json"}).status_code == 400
    assert anonymous.post(url, json=PASTE | {"question": "nope"}).status_code == 404
    assert anonymous.post("/api/interview/not-a-real-token/signals", json=PASTE).status_code == 404
    kinds = [e["type"] for e in interviewer.get(f"/api/interviews/{session_id}/timeline").json()]
    assert "paste" not in kinds and "hidden" not in kinds

    with stack.database.session() as db:
        session = db.get(InterviewSession, session_id)
        assert session is not None
        session.ends_at = utcnow() - timedelta(seconds=1)
    ended = anonymous.post(url, json=PASTE)
    assert ended.status_code == 410 and "time is up" in ended.json()["message"]


def test_signals_past_the_cap_are_refused_and_nothing_else_is(
    interviewer: Api, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "MAX_SIGNALS", 3)
    token, session_id, anonymous = _session(interviewer, client)
    url = f"/api/interview/{token}/signals"
    for _ in range(3):
        assert anonymous.post(url, json={"type": "hidden", "seconds": 2}).status_code == 204
    refused = anonymous.post(url, json=PASTE)
    assert refused.status_code == 429 and "3 signals" in refused.json()["message"]
    draft = {"question": "softmax", "code": "def softmax(x):\n    return x\n"}
    assert anonymous.put(f"/api/interview/{token}/draft", json=draft).status_code == 204
    kinds = [e["type"] for e in interviewer.get(f"/api/interviews/{session_id}/timeline").json()]
    assert kinds.count("hidden") == 3 and "paste" not in kinds and "draft" in kinds


def test_similarity_scores_without_showing_the_code(interviewer: Api, client: TestClient, stack: Stack) -> None:
    solution = _unique_solution()
    # The same interviewer's earlier session, and another interviewer's (not a teammate).
    own_token, own_id, own = _session(interviewer, client)
    other_interviewer = signup(client, "interviewer", stack)
    other_token, other_id, other = _session(other_interviewer, client)
    body = {"question": "softmax", "code": solution}
    assert other.post(f"/api/interview/{other_token}/submissions", json=body).status_code == 202
    disguised = solution.replace("total", "denominator").replace("e /", "e/")
    assert own.post(f"/api/interview/{own_token}/submissions", json=body | {"code": disguised}).status_code == 202

    token, session_id, anonymous = _session(interviewer, client)
    before = interviewer.get(f"/api/interviews/{session_id}/report").json()["integrity"]["similarity"]
    assert before == [{"question": "softmax", "has_code": False, "reference": None, "peer": None}]
    assert anonymous.post(f"/api/interview/{token}/submissions", json=body).status_code == 202
    report = interviewer.get(f"/api/interviews/{session_id}/report").json()
    [sim] = report["integrity"]["similarity"]
    assert 0.0 < sim["reference"] < 0.6, sim  # a softmax, written another way than the reference
    # Both earlier sessions match fully (names do not count); the newest is the one named, and
    # only because this interviewer may open it.
    assert sim["peer"]["score"] == 1.0 and sim["peer"]["compared"] >= 2
    assert sim["peer"]["session_id"] == own_id
    # Seen by the other interviewer, the best match is a session they may not open: no id.
    theirs = other_interviewer.get(f"/api/interviews/{other_id}/report").json()["integrity"]["similarity"][0]
    assert theirs["peer"]["score"] == 1.0 and theirs["peer"]["session_id"] is None
    # Scores only: the reference solution's text is nowhere in the report.
    assert "Subtracting the row maximum" not in json.dumps(report)
    assert "amax" not in json.dumps(report["integrity"])


def test_reference_copy_scores_one(interviewer: Api, client: TestClient) -> None:
    token, session_id, anonymous = _session(interviewer, client)
    draft = {"question": "softmax", "code": REFERENCE.replace("shifted", "s").replace("exps", "t")}
    assert anonymous.put(f"/api/interview/{token}/draft", json=draft).status_code == 204
    [sim] = interviewer.get(f"/api/interviews/{session_id}/report").json()["integrity"]["similarity"]
    assert sim["reference"] == 1.0 and sim["has_code"] is True
