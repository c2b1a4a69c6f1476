"""Interview sessions: the interviewer's side, the candidate link without an account, expiry."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from app.core.database import utcnow
from app.interviews.models import InterviewSession

from .conftest import Api
from .support import Stack, WorkerProcess

STABLE = Path("questions/softmax/solutions/stable.torch.py").read_text()
NEW = {"questions": ["softmax"], "framework": "torch", "duration_min": 45, "candidate_name": "Ada"}


def _create(interviewer: Api) -> dict[str, object]:
    response = interviewer.post("/api/interviews", json=NEW)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_candidates_cannot_create_sessions(candidate: Api) -> None:
    assert candidate.post("/api/interviews", json=NEW).status_code == 403


def test_bad_session_requests(interviewer: Api) -> None:
    assert interviewer.post("/api/interviews", json=NEW | {"questions": ["nope"]}).status_code == 404
    assert interviewer.post("/api/interviews", json=NEW | {"framework": "mxnet"}).status_code == 422
    assert interviewer.post("/api/interviews", json=NEW | {"duration_min": 0}).status_code == 422


def test_candidate_link_flow(interviewer: Api, client: TestClient, worker: WorkerProcess) -> None:
    created = _create(interviewer)
    token, session_id = created["candidate_token"], created["id"]
    assert len(str(token)) >= 40 and str(created["candidate_url"]).endswith(f"/interview/{token}")
    anonymous = TestClient(client.app)
    view = anonymous.get(f"/api/interview/{token}").json()
    assert view["framework"] == "torch" and view["questions"][0]["slug"] == "softmax"
    assert "reference" not in view["questions"][0] and view["remaining_s"] > 44 * 60

    for code in ("def softmax(x):\n    pass\n", "def softmax(x):\n    return x\n"):
        assert (
            anonymous.put(f"/api/interview/{token}/draft", json={"question": "softmax", "code": code}).status_code
            == 204
        )
    submitted = anonymous.post(f"/api/interview/{token}/submissions", json={"question": "softmax", "code": STABLE})
    assert submitted.status_code == 202
    submission_id = submitted.json()["id"]
    candidate_view = Api(anonymous, "", "")
    candidate_view.headers = {}
    done = candidate_view.wait_done(submission_id, prefix=f"/api/interview/{token}/submissions")
    assert done["status"] == "accepted"

    submissions = interviewer.get(f"/api/interviews/{session_id}/submissions").json()
    assert [s["id"] for s in submissions] == [submission_id]
    timeline = interviewer.get(f"/api/interviews/{session_id}/timeline").json()
    kinds = [e["type"] for e in timeline]
    assert kinds[:2] == ["created", "opened"] and kinds.count("draft") == 1  # drafts merged
    assert "run" in kinds and kinds[-1] == "verdict"
    report = interviewer.get(f"/api/interviews/{session_id}/report").json()
    assert report["questions"][0]["accepted"] and report["questions"][0]["runs"] == 1
    assert report["scorecard"]["correctness"] == "1/1 questions accepted"

    ended = interviewer.post(f"/api/interviews/{session_id}/end").json()
    assert ended["active"] is False
    gone = anonymous.get(f"/api/interview/{token}")
    assert gone.status_code == 410 and gone.json()["error"] == "gone"


def test_link_expiry_and_other_interviewers(interviewer: Api, client: TestClient, stack: Stack) -> None:
    from .conftest import signup

    created = _create(interviewer)
    token, session_id = created["candidate_token"], created["id"]
    other = signup(client, "interviewer", stack)
    assert other.get(f"/api/interviews/{session_id}").status_code == 404
    assert other.get(f"/api/interviews/{session_id}/report").status_code == 404
    anonymous = TestClient(client.app)
    assert anonymous.get("/api/interview/not-a-real-token").status_code == 404
    assert anonymous.get(f"/api/interview/{token}").status_code == 200
    with stack.database.session() as db:
        session = db.get(InterviewSession, session_id)
        assert session is not None
        session.ends_at = utcnow() - timedelta(seconds=1)  # the session's time is up
    response = anonymous.post(f"/api/interview/{token}/submissions", json={"question": "softmax", "code": STABLE})
    assert response.status_code == 410 and "time is up" in response.json()["message"]
    rotated = interviewer.post(f"/api/interviews/{session_id}/link").json()["candidate_token"]
    assert rotated != token and anonymous.get(f"/api/interview/{token}").status_code == 404
