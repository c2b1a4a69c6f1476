"""Submitting code: the error cases, then real grading by a worker process, with SSE progress."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Api
from .support import Stack, WorkerProcess

STABLE = Path("questions/softmax/solutions/stable.torch.py").read_text()
WRONG_AXIS = Path("questions/softmax/solutions/wrong_axis.torch.py").read_text()


def _body(**overrides: str) -> dict[str, str]:
    return {"question": "softmax", "framework": "torch", "code": STABLE, "mode": "run"} | overrides


def test_unknown_question_and_framework(candidate: Api) -> None:
    missing = candidate.post("/api/submissions", json=_body(question="nope"))
    assert missing.status_code == 404 and "nope" in missing.json()["message"]
    framework = candidate.post("/api/submissions", json=_body(framework="tensorflow"))
    assert framework.status_code == 422 and "framework" in framework.json()["message"]
    concept = candidate.post("/api/submissions", json=_body(question="concept-jit-python-if"))
    assert concept.status_code == 422


def test_code_over_the_size_limit_is_413(candidate: Api) -> None:
    response = candidate.post("/api/submissions", json=_body(code="#" * (64 * 1024 + 1)))
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large" and "64 KiB" in response.json()["message"]
    huge = candidate.post("/api/submissions", json=_body(code="#" * (1024 * 1024)))
    assert huge.status_code == 413


def test_malformed_json_and_invalid_utf8(candidate: Api) -> None:
    headers = candidate.headers | {"content-type": "application/json"}
    malformed = candidate.client.post("/api/submissions", content=b'{"question": ', headers=headers)
    assert malformed.status_code == 400 and malformed.json()["error"] == "malformed_json"
    raw = b'{"question": "softmax", "framework": "torch", "code": "\xff\xfe", "mode": "run"}'
    invalid = candidate.client.post("/api/submissions", content=raw, headers=headers)
    assert invalid.status_code == 400 and invalid.json()["error"] == "invalid_utf8"
    missing = candidate.post("/api/submissions", json={"question": "softmax"})
    assert missing.status_code == 422 and "code" in missing.json()["message"]


def test_missing_auth_and_someone_elses_submission(candidate: Api, client: object) -> None:
    from .conftest import signup

    assert candidate.client.post("/api/submissions", json=_body()).status_code == 401
    submission_id = candidate.submit(STABLE)
    other = signup(candidate.client)
    for url in (f"/api/submissions/{submission_id}", f"/api/submissions/{submission_id}/events"):
        response = other.get(url)
        assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert other.get("/api/submissions").json() == []
    assert [s["id"] for s in candidate.get("/api/submissions").json()] == [submission_id]


def test_per_user_queue_limit(candidate: Api, stack: Stack) -> None:
    limit = stack.settings.max_queued_per_user
    from app.submissions.models import Submission

    with stack.database.session() as db:
        # Rows that look queued, without sending anything to the broker.
        user_id = _user_id(stack, candidate.email)
        for n in range(limit):
            db.add(
                Submission(id=f"fake{n}{candidate.email[5:15]}", user_id=user_id, question_id=_softmax_id(stack),
                           question_slug="softmax", question_version=1, framework="torch", mode="run",
                           code="", queue="cpu")
            )  # fmt: skip
    response = candidate.post("/api/submissions", json=_body())
    assert response.status_code == 429 and response.json()["error"] == "too_many_requests"
    with stack.database.session() as db:
        db.query(Submission).filter(Submission.user_id == user_id).delete()


def test_graded_end_to_end_with_events(candidate: Api, worker: WorkerProcess) -> None:
    submission_id = candidate.submit(STABLE)
    with candidate.client.stream(
        "GET", f"/api/submissions/{submission_id}/events", headers=candidate.headers
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = _read_events(stream.iter_lines())
    kinds = [e["event"] for e in events]
    assert kinds[0] == "queued" and kinds[1] == "running" and kinds[-1] == "verdict"
    assert "test" in kinds and kinds.count("verdict") == 1
    verdict = json.loads(events[-1]["data"])
    assert verdict["status"] == "accepted"
    body = candidate.get(f"/api/submissions/{submission_id}").json()
    assert body["state"] == "done" and body["status"] == "accepted"
    assert body["verdict"]["tests"] and body["verdict"]["status"] == "accepted"
    assert body["worker"] == worker.hostname and body["hardware"] and body["attempt"] == 1
    assert body["latency_ms"] > 0 and body["question_version"] == 1


def test_wrong_answer_is_a_final_verdict(candidate: Api, worker: WorkerProcess) -> None:
    body = candidate.wait_done(candidate.submit(WRONG_AXIS))
    assert body["status"] == "wrong_answer" and body["attempt"] == 1
    failed = [t for t in body["verdict"]["tests"] if not t["passed"]]
    assert failed and failed[0]["visible"]


@pytest.mark.parametrize("mode", ["submit"])
def test_submit_mode_runs_hidden_tests_and_timing(candidate: Api, worker: WorkerProcess, mode: str) -> None:
    body = candidate.wait_done(candidate.submit(STABLE, mode=mode))
    assert body["status"] == "accepted"
    assert any(not t["visible"] for t in body["verdict"]["tests"])
    assert body["runtime_ms"] == body["verdict"]["timing"]["submission_ms"]
    runtimes = candidate.get("/api/questions/softmax/runtimes").json()
    assert body["id"] in {r["submission_id"] for r in runtimes}


def _read_events(lines: object) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in lines:  # type: ignore[attr-defined]
        if not line:
            if "event" in current:
                events.append(current)
            current = {}
            continue
        key, _, value = line.partition(":")
        current[key] = value.strip()
    if "event" in current:
        events.append(current)
    return events


def _user_id(stack: Stack, email: str) -> int:
    from app.accounts.service import get_user_by_email

    with stack.database.session() as db:
        user = get_user_by_email(db, email)
        assert user is not None
        return user.id


def _softmax_id(stack: Stack) -> int:
    from app.questions.service import get_current

    with stack.database.session() as db:
        return get_current(db, "softmax").id
