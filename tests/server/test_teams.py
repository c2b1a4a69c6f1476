"""Teams and invites: an admin invites an interviewer by link, the link works once, and
interviewers of one team share their sessions while others still get 404."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient

from app.core.database import utcnow
from app.teams.models import Invite

from .conftest import Api, signup
from .support import Stack

SESSION = {"questions": ["softmax"], "framework": "torch", "duration_min": 45}


def _email() -> str:
    return f"invited-{uuid.uuid4().hex[:10]}@example.com"


def _team(admin: Api) -> int:
    response = admin.post("/api/admin/teams", json={"name": f"team-{uuid.uuid4().hex[:8]}"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _invite(admin: Api, **body: object) -> dict[str, object]:
    response = admin.post("/api/admin/invites", json={"email": _email()} | body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _accept(client: TestClient, token: object, password: str | None = "long enough pw") -> Api:
    anonymous = TestClient(client.app)
    response = anonymous.post(f"/api/invites/{token}/accept", json={"password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    return Api(TestClient(client.app), body["token"], body["user"]["email"])


def test_only_admins_invite_and_make_teams(candidate: Api, interviewer: Api) -> None:
    for caller in (candidate, interviewer):
        assert caller.post("/api/admin/invites", json={"email": _email()}).status_code == 403
        assert caller.post("/api/admin/teams", json={"name": "x"}).status_code == 403
        assert caller.get("/api/admin/invites").status_code == 403


def test_an_invite_link_makes_an_interviewer_account_once(admin: Api, client: TestClient) -> None:
    created = _invite(admin)
    token = created["token"]
    assert str(created["url"]).endswith(f"/invite/{token}") and created["state"] == "open"
    anonymous = TestClient(client.app)
    view = anonymous.get(f"/api/invites/{token}").json()
    assert view["email"] == created["email"] and view["role"] == "interviewer" and view["has_account"] is False
    short = anonymous.post(f"/api/invites/{token}/accept", json={"password": "short"})
    assert short.status_code == 422  # nothing used up
    invited = _accept(client, token)
    me = invited.get("/api/auth/me").json()
    assert me["email"] == created["email"] and me["role"] == "interviewer"
    assert invited.post("/api/interviews", json=SESSION).status_code == 201
    again = anonymous.post(f"/api/invites/{token}/accept", json={"password": "long enough pw"})
    assert again.status_code == 410 and "accepted" in again.json()["message"]
    listed = {i["id"]: i for i in admin.get("/api/admin/invites").json()}
    assert listed[created["id"]]["state"] == "accepted" and "token" not in listed[created["id"]]
    assert anonymous.get(f"/api/invites/{'x' * 43}").status_code == 404


def test_revoked_and_expired_invites_are_gone(admin: Api, client: TestClient, stack: Stack) -> None:
    revoked, expired = _invite(admin), _invite(admin)
    assert admin.delete(f"/api/admin/invites/{revoked['id']}").json()["state"] == "revoked"
    with stack.database.session() as db:
        row = db.get(Invite, expired["id"])
        assert row is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
    anonymous = TestClient(client.app)
    for invite, state in ((revoked, "revoked"), (expired, "expired")):
        response = anonymous.post(f"/api/invites/{invite['token']}/accept", json={"password": "long enough pw"})
        assert response.status_code == 410 and state in response.json()["message"], response.text


def test_an_existing_account_must_log_in_to_take_its_invite(admin: Api, client: TestClient) -> None:
    user = signup(client)  # a candidate account
    response = admin.post("/api/admin/invites", json={"email": user.email})
    token = response.json()["token"]
    anonymous = TestClient(client.app)
    refused = anonymous.post(f"/api/invites/{token}/accept", json={"password": "long enough pw"})
    assert refused.status_code == 409 and "log in" in refused.json()["message"]
    stranger = signup(client)
    assert stranger.post(f"/api/invites/{token}/accept", json={}).status_code == 409
    taken = user.post(f"/api/invites/{token}/accept", json={})
    assert taken.status_code == 200 and taken.json()["user"]["role"] == "interviewer"
    assert stranger.get("/api/auth/me").json()["role"] == "candidate"


def test_a_team_shares_its_sessions_and_no_one_else_sees_them(admin: Api, client: TestClient) -> None:
    team = _team(admin)
    first = _accept(client, _invite(admin, team_id=team)["token"])
    second = _accept(client, _invite(admin, team_id=team)["token"])
    outsider = _accept(client, _invite(admin)["token"])
    created = first.post("/api/interviews", json=SESSION)
    assert created.status_code == 201
    session_id = created.json()["id"]
    assert second.get(f"/api/interviews/{session_id}").status_code == 200
    assert session_id in [s["id"] for s in second.get("/api/interviews").json()]
    assert second.get(f"/api/interviews/{session_id}/report").status_code == 200
    assert outsider.get(f"/api/interviews/{session_id}").status_code == 404
    assert session_id not in [s["id"] for s in outsider.get("/api/interviews").json()]
    members = {t["id"]: t for t in admin.get("/api/admin/teams").json()}[team]["members"]
    assert sorted(m["email"] for m in members) == sorted([first.email, second.email])
    # Leaving the team ends the sharing.
    second_id = second.get("/api/auth/me").json()["id"]
    assert admin.put(f"/api/admin/users/{second_id}/team", json={"team_id": None}).status_code == 204
    assert second.get(f"/api/interviews/{session_id}").status_code == 404


def test_invites_refuse_candidates_and_unknown_teams(admin: Api) -> None:
    assert admin.post("/api/admin/invites", json={"email": _email(), "role": "candidate"}).status_code == 422
    assert admin.post("/api/admin/invites", json={"email": _email(), "team_id": 999999}).status_code == 404
    assert admin.post("/api/admin/invites", json={"email": "not an address"}).status_code == 422
    name = f"team-{uuid.uuid4().hex[:8]}"
    assert admin.post("/api/admin/teams", json={"name": name}).status_code == 201
    assert admin.post("/api/admin/teams", json={"name": name}).status_code == 409
