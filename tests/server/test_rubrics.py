"""Rubrics: the shipped one for everyone, interviewers' own shared within a team, sessions that
keep a copy of theirs, and scorecards that score its criteria with evidence from the timeline."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.interviews.timeline import add_event

from .conftest import Api, signup
from .support import Stack

SESSION = {"questions": ["softmax"], "framework": "torch", "duration_min": 45}
ANCHORS = {"1": "cannot start", "2": "needs hints", "3": "solid", "4": "teaches us"}
RUBRIC: dict[str, Any] = {
    "name": "Numerics loop",
    "criteria": [
        {"key": "stability", "title": "Stability", "description": "overflow, logsumexp", "anchors": ANCHORS},
        {"key": "speed", "title": "Speed", "anchors": ANCHORS},
    ],
}


def _user_id(api: Api) -> int:
    return int(api.get("/api/auth/me").json()["id"])


def _create(api: Api, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post("/api/rubrics", json=body or RUBRIC)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _session(api: Api, **extra: Any) -> dict[str, Any]:
    response = api.post("/api/interviews", json=SESSION | extra)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_the_shipped_rubric_comes_first_and_is_read_only(interviewer: Api) -> None:
    listed = interviewer.get("/api/rubrics").json()
    shipped = listed[0]
    assert shipped["id"] == "default" and shipped["name"] == "ML framework interview" and shipped["shipped"]
    keys = [c["key"] for c in shipped["criteria"]]
    assert keys == ["correctness", "shapes", "framework", "numerics", "performance", "communication"]
    assert all(sorted(c["anchors"]) == ["1", "2", "3", "4"] for c in shipped["criteria"])
    assert "PRNG" in next(c for c in shipped["criteria"] if c["key"] == "framework")["anchors"]["2"]
    assert interviewer.get("/api/rubrics/default").json()["criteria"] == shipped["criteria"]
    assert interviewer.put("/api/rubrics/default", json=RUBRIC).status_code == 403
    assert interviewer.delete("/api/rubrics/default").status_code == 403
    assert interviewer.get("/api/rubrics/default").status_code == 200


def test_owner_edits_teammate_reads_stranger_gets_404(admin: Api, client: TestClient, stack: Stack) -> None:
    owner, mate, stranger = (signup(client, "interviewer", stack) for _ in range(3))
    team = admin.post("/api/admin/teams", json={"name": f"team-{uuid.uuid4().hex[:8]}"}).json()["id"]
    for member in (owner, mate):
        assert admin.put(f"/api/admin/users/{_user_id(member)}/team", json={"team_id": team}).status_code == 204
    created = _create(owner)
    rubric_id = created["id"]
    assert created["editable"] and created["team_id"] == team and created["owner_id"] == _user_id(owner)
    assert created["criteria"][1]["description"] == ""

    seen = mate.get(f"/api/rubrics/{rubric_id}")
    assert seen.status_code == 200 and seen.json()["editable"] is False
    assert rubric_id in [r["id"] for r in mate.get("/api/rubrics").json()]
    assert mate.put(f"/api/rubrics/{rubric_id}", json=RUBRIC | {"name": "mine now"}).status_code == 403
    assert mate.delete(f"/api/rubrics/{rubric_id}").status_code == 403

    assert rubric_id not in [r["id"] for r in stranger.get("/api/rubrics").json()]
    for response in (
        stranger.get(f"/api/rubrics/{rubric_id}"),
        stranger.put(f"/api/rubrics/{rubric_id}", json=RUBRIC),
        stranger.delete(f"/api/rubrics/{rubric_id}"),
    ):
        assert response.status_code == 404, response.text
    assert stranger.get("/api/rubrics/not-a-number").status_code == 404

    changed = owner.put(f"/api/rubrics/{rubric_id}", json=RUBRIC | {"name": "Numerics v2"})
    assert changed.status_code == 200 and changed.json()["name"] == "Numerics v2"
    assert mate.get(f"/api/rubrics/{rubric_id}").json()["name"] == "Numerics v2"
    assert admin.put(f"/api/rubrics/{rubric_id}", json=RUBRIC | {"name": "by admin"}).status_code == 200
    assert owner.delete(f"/api/rubrics/{rubric_id}").status_code == 204
    assert owner.get(f"/api/rubrics/{rubric_id}").status_code == 404
    assert mate.get(f"/api/rubrics/{rubric_id}").status_code == 404


def test_candidates_and_anonymous_are_refused(candidate: Api, client: TestClient) -> None:
    assert candidate.get("/api/rubrics").status_code == 403
    assert candidate.post("/api/rubrics", json=RUBRIC).status_code == 403
    assert candidate.get("/api/rubrics/default").status_code == 403
    anonymous = TestClient(client.app)
    assert anonymous.get("/api/rubrics").status_code == 401
    assert anonymous.post("/api/rubrics", json=RUBRIC).status_code == 401


def _broken(change: Any) -> dict[str, Any]:
    body = copy.deepcopy(RUBRIC)
    change(body)
    return body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_broken(lambda b: b.update(criteria=[])), "at least 1 item"),
        (_broken(lambda b: b.update(criteria=b["criteria"] * 7)), "at most 12 items"),
        (_broken(lambda b: b["criteria"][1].update(key="stability")), "repeated: stability"),
        (_broken(lambda b: b["criteria"][0].update(key="Bad Key!")), "criteria.0.key"),
        (_broken(lambda b: b["criteria"][0]["anchors"].pop("3")), "missing or empty: 3"),
        (_broken(lambda b: b["criteria"][0].update(anchors=ANCHORS | {"2": "  "})), "missing or empty: 2"),
        (_broken(lambda b: b["criteria"][0].update(anchors=ANCHORS | {"5": "x"})), "scores 1 to 4 only, not 5"),
        (_broken(lambda b: b["criteria"][0].update(weight=2)), "Extra inputs are not permitted"),
        (_broken(lambda b: b.update(owner_id=1)), "Extra inputs are not permitted"),
        (_broken(lambda b: b.update(name="")), "name"),
        (_broken(lambda b: b.update(name="x" * 101)), "at most 100 characters"),
        (_broken(lambda b: b["criteria"][0].update(title="t" * 101)), "at most 100 characters"),
    ],
)
def test_invalid_rubrics_are_refused_with_the_reason(interviewer: Api, body: dict[str, Any], message: str) -> None:
    response = interviewer.post("/api/rubrics", json=body)
    assert response.status_code == 422, response.text
    assert message in response.json()["message"]
    assert len(interviewer.get("/api/rubrics").json()) == 1  # only the shipped one


def test_malformed_json_is_a_400(interviewer: Api) -> None:
    headers = interviewer.headers | {"content-type": "application/json"}
    response = interviewer.client.post("/api/rubrics", content=b"{", headers=headers)
    assert response.status_code == 400 and "not valid JSON" in response.json()["message"]


def test_a_session_keeps_the_rubric_it_was_created_with(interviewer: Api, client: TestClient, stack: Stack) -> None:
    rubric = _create(interviewer)
    session = _session(interviewer, rubric_id=rubric["id"])
    assert session["rubric"]["name"] == "Numerics loop"
    edited = copy.deepcopy(RUBRIC)
    edited["name"] = "Renamed"
    edited["criteria"][0]["anchors"]["4"] = "a new anchor"
    assert interviewer.put(f"/api/rubrics/{rubric['id']}", json=edited).status_code == 200
    report = interviewer.get(f"/api/interviews/{session['id']}/report").json()
    assert report["rubric"]["name"] == "Numerics loop"
    assert report["rubric"]["criteria"][0]["anchors"]["4"] == "teaches us"
    assert interviewer.delete(f"/api/rubrics/{rubric['id']}").status_code == 204
    assert interviewer.get(f"/api/interviews/{session['id']}").json()["rubric"]["id"] == rubric["id"]

    assert _session(interviewer)["rubric"]["id"] == "default"
    assert _session(interviewer, rubric_id="default")["rubric"]["name"] == "ML framework interview"
    other = _create(signup(client, "interviewer", stack))
    refused = interviewer.post("/api/interviews", json=SESSION | {"rubric_id": other["id"]})
    assert refused.status_code == 404 and "rubric" in refused.json()["message"]
    # The owner's marked default is used when a session names none.
    favourite = _create(interviewer, RUBRIC | {"name": "Favourite", "is_default": True})
    assert _session(interviewer)["rubric"]["id"] == favourite["id"]
    assert _session(interviewer, rubric_id="default")["rubric"]["id"] == "default"


def _events(stack: Stack, session_id: int) -> tuple[int, int]:
    """A run and a submit on the timeline, written directly (nothing is graded)."""
    with stack.database.session() as db:
        run = add_event(db, session_id, "run", question="softmax", submission_id="s-run", data={"code": "x"})
        submit = add_event(db, session_id, "submit", question="softmax", submission_id="s-sub", data={"code": "y"})
        db.flush()
        return run.id, submit.id


def test_scorecard_scores_the_rubric_with_evidence(interviewer: Api, stack: Stack) -> None:
    session = _session(interviewer, rubric_id=_create(interviewer)["id"])
    run_id, submit_id = _events(stack, session["id"])
    card = {
        "notes": "good",
        "recommendation": "yes",
        "criteria": {
            "stability": {"score": 4, "evidence": [run_id, submit_id], "note": "logsumexp unprompted"},
            "speed": {"score": 2},
        },
    }
    url = f"/api/interviews/{session['id']}/scorecard"
    response = interviewer.put(url, json=card)
    assert response.status_code == 204, response.text
    report_url = f"/api/interviews/{session['id']}/report"
    saved = interviewer.get(report_url).json()["scorecard"]
    stability = {"score": 4, "evidence": [run_id, submit_id], "note": "logsumexp unprompted"}
    assert saved["criteria"]["stability"] == stability
    assert saved["criteria"]["speed"] == {"score": 2, "evidence": [], "note": ""}

    elsewhere = _session(interviewer)
    foreign_run, _ = _events(stack, elsewhere["id"])
    bad = [
        ({"stability": {"score": 5}}, "less than or equal to 4"),
        ({"stability": {"score": 0}}, "greater than or equal to 1"),
        ({"correctness": {"score": 3}}, "correctness: not a criterion of this session's rubric"),
        ({"stability": {"score": 3, "evidence": [foreign_run]}}, f"evidence {foreign_run}: not an entry"),
        ({"stability": {"score": 3, "weight": 1}}, "Extra inputs are not permitted"),
    ]
    for criteria, message in bad:
        response = interviewer.put(url, json={"criteria": criteria})
        assert response.status_code == 422, response.text
        assert message in response.json()["message"], response.text
    # Nothing of the refused cards was stored.
    assert interviewer.get(report_url).json()["scorecard"]["criteria"] == saved["criteria"]
    # The shipped rubric's keys are valid for a session created with it.
    numerics = {"criteria": {"numerics": {"score": 3}}}
    shipped = interviewer.put(f"/api/interviews/{elsewhere['id']}/scorecard", json=numerics)
    assert shipped.status_code == 204
