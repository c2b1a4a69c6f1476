"""Follow-ups pushed to a live session: who may push, idempotence, code carried over, the report."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.database import utcnow
from app.interviews.models import InterviewSession
from app.pairing.service import CANDIDATE, shared_text, write_text
from app.questions.bank_sync import sync_bank
from app.questions.service import current_version, retire
from workers.grading.bank import load_question, read_question_files, write_question_files
from workers.grading.spec import QuestionFormatError

from .conftest import Api, signup
from .support import Stack

NEW = {"questions": ["softmax"], "framework": "torch", "duration_min": 45, "title": "Numerics"}
PARENT_CODE = (
    "import torch\n\ndef softmax(x):\n"
    "    e = torch.exp(x - x.amax(-1, keepdim=True))  # mine\n"
    "    return e / e.sum(-1, keepdim=True)\n"
)


def _ask(stack: Stack, parent: str, question: str) -> str:
    spec = load_question(stack.settings.bank_dir / parent).spec
    return next(f.ask for f in spec.followups if f.question == question)


def _session(interviewer: Api, **overrides: Any) -> tuple[int, str]:
    response = interviewer.post("/api/interviews", json=NEW | overrides)
    assert response.status_code == 201, response.text
    return int(response.json()["id"]), str(response.json()["candidate_token"])


def _push(api: Api, session_id: int, parent: str = "softmax", question: str = "log-softmax") -> Any:
    return api.post(f"/api/interviews/{session_id}/followups", json={"parent": parent, "question": question})


def _parts(api: Api, session_id: int) -> list[str]:
    return list(api.get(f"/api/interviews/{session_id}").json()["questions"])


def _timeline(api: Api, session_id: int) -> list[dict[str, Any]]:
    return list(api.get(f"/api/interviews/{session_id}/timeline").json())


def test_a_follow_up_starts_from_the_parents_last_code(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _session(interviewer)
    candidate = TestClient(client.app)
    assert candidate.get(f"/api/interview/{token}").status_code == 200
    draft = {"question": "softmax", "code": PARENT_CODE}
    assert candidate.put(f"/api/interview/{token}/draft", json=draft).status_code == 204

    menu = interviewer.get(f"/api/interviews/{session_id}/followups").json()["followups"]
    ask = _ask(stack, "softmax", "log-softmax")
    assert menu["softmax"] == [
        {
            "parent": "softmax",
            "question": "log-softmax",
            "title": "Log-softmax with masked entries",
            "ask": ask,
            "pushed": False,
            "unavailable": None,
        }
    ]

    pushed = _push(interviewer, session_id)
    assert pushed.status_code == 201, pushed.text
    part = pushed.json()
    assert part["question"] == "log-softmax" and part["followup_of"] == "softmax" and part["ask"] == ask
    assert isinstance(part["pushed_by"], int) and part["pushed_at"]

    # The candidate's session now has the part, graded as the bank question it is.
    view = candidate.get(f"/api/interview/{token}").json()
    assert [q["slug"] for q in view["questions"]] == ["softmax", "log-softmax"]
    assert view["questions"][1]["entry"]["torch"]["name"] == "log_softmax"
    assert (view["questions"][1]["followup_of"], view["questions"][1]["ask"]) == ("softmax", ask)
    assert view["questions"][0]["followup_of"] is None
    assert "reference" not in view["questions"][1] and "followups" not in view["questions"][0]

    timeline = _timeline(interviewer, session_id)
    followup = next(e for e in timeline if e["type"] == "followup")
    assert followup["question"] == "log-softmax"
    assert followup["data"] == {"parent": "softmax", "ask": ask, "by": interviewer.email}
    carried = [e for e in timeline if e["type"] == "draft" and e["question"] == "log-softmax"]
    assert len(carried) == 1 and carried[0]["data"]["code"] == PARENT_CODE
    assert carried[0]["data"]["carried_from"] == "softmax"

    # Runs and submits on the follow-up are the candidate's like any part's.
    run = candidate.post(
        f"/api/interview/{token}/submissions", json={"question": "log-softmax", "code": PARENT_CODE, "mode": "run"}
    )
    assert run.status_code == 202
    # The parent stays open: its draft is still taken.
    back = {"question": "softmax", "code": PARENT_CODE + "# back again\n"}
    assert candidate.put(f"/api/interview/{token}/draft", json=back).status_code == 204


def test_a_follow_up_without_parent_code_starts_from_its_own_starter(interviewer: Api) -> None:
    session_id, _token = _session(interviewer)
    assert _push(interviewer, session_id).status_code == 201
    timeline = _timeline(interviewer, session_id)
    assert not [e for e in timeline if e["type"] == "draft"]
    assert _parts(interviewer, session_id) == ["softmax", "log-softmax"]


def test_pushing_the_same_follow_up_twice_adds_it_once(interviewer: Api, client: TestClient) -> None:
    session_id, token = _session(interviewer)
    TestClient(client.app).get(f"/api/interview/{token}")
    first = _push(interviewer, session_id)
    again = _push(interviewer, session_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert _parts(interviewer, session_id) == ["softmax", "log-softmax"]
    assert [e["type"] for e in _timeline(interviewer, session_id)].count("followup") == 1
    menu = interviewer.get(f"/api/interviews/{session_id}/followups").json()["followups"]
    assert menu["softmax"][0]["pushed"] is True


def test_only_the_sessions_interviewers_may_push(
    interviewer: Api, candidate: Api, admin: Api, client: TestClient, stack: Stack
) -> None:
    session_id, token = _session(interviewer)
    stranger = signup(client, "interviewer", stack)
    assert _push(stranger, session_id).status_code == 404
    assert stranger.get(f"/api/interviews/{session_id}/followups").status_code == 404
    assert _push(candidate, session_id).status_code == 403  # a candidate's account
    anonymous = TestClient(client.app)
    body = {"parent": "softmax", "question": "log-softmax"}
    assert anonymous.post(f"/api/interviews/{session_id}/followups", json=body).status_code == 401
    # The candidate's link has no way to add a part.
    assert anonymous.post(f"/api/interview/{token}/followups", json=body).status_code in (404, 405)
    assert _parts(interviewer, session_id) == ["softmax"]

    # An interviewer of the same team runs the session too.
    team = admin.post("/api/admin/teams", json={"name": f"team-{session_id}-{stack.name}"}).json()["id"]
    teammate = signup(client, "interviewer", stack)
    for member in (interviewer, teammate):
        user_id = member.get("/api/auth/me").json()["id"]
        assert admin.put(f"/api/admin/users/{user_id}/team", json={"team_id": team}).status_code == 204
    pushed = _push(teammate, session_id)
    assert pushed.status_code == 201
    assert pushed.json()["pushed_by"] == teammate.get("/api/auth/me").json()["id"]


def test_pushes_that_cannot_be_made_are_refused(interviewer: Api) -> None:
    session_id, _token = _session(interviewer)
    not_linked = _push(interviewer, session_id, question="cumulative-logsumexp")
    assert not_linked.status_code == 422 and "not a follow-up of 'softmax'" in not_linked.json()["message"]
    assert _push(interviewer, session_id, parent="log-softmax", question="cumulative-logsumexp").status_code == 404
    assert _push(interviewer, session_id, question="no-such-question").status_code == 422
    assert _push(interviewer, session_id, question="x" * 65).status_code == 422
    assert _parts(interviewer, session_id) == ["softmax"]

    # A follow-up already picked as a question of the session is not pushed as a second copy.
    both, _ = _session(interviewer, questions=["softmax", "log-softmax"])
    taken = _push(interviewer, both)
    assert taken.status_code == 409 and "already a part" in taken.json()["message"]

    # Nothing is pushed to a session that has ended.
    assert interviewer.post(f"/api/interviews/{session_id}/end").status_code == 200
    ended = _push(interviewer, session_id)
    assert ended.status_code == 409 and "ended" in ended.json()["message"]
    assert _parts(interviewer, session_id) == ["softmax"]

    # A take-home candidate works alone on the questions chosen when it was created.
    opens = utcnow()
    window = {"opens_at": opens.isoformat(), "closes_at": (opens + timedelta(hours=4)).isoformat()}
    take_home, _ = _session(interviewer, take_home=window)
    alone = _push(interviewer, take_home)
    assert alone.status_code == 409 and "take-home" in alone.json()["message"]
    assert _parts(interviewer, take_home) == ["softmax"]


def test_the_report_shows_each_part_in_push_order(interviewer: Api, client: TestClient, stack: Stack) -> None:
    session_id, token = _session(interviewer)
    TestClient(client.app).get(f"/api/interview/{token}")
    assert _push(interviewer, session_id).status_code == 201
    assert _push(interviewer, session_id, parent="log-softmax", question="cumulative-logsumexp").status_code == 201
    report = interviewer.get(f"/api/interviews/{session_id}/report").json()
    parts = [(q["question"], q["followup_of"], q["ask"]) for q in report["questions"]]
    assert parts == [
        ("softmax", None, None),
        ("log-softmax", "softmax", _ask(stack, "softmax", "log-softmax")),
        ("cumulative-logsumexp", "log-softmax", _ask(stack, "log-softmax", "cumulative-logsumexp")),
    ]
    assert report["scorecard"]["correctness"] == "0/3 questions accepted"


def test_the_candidates_room_hears_of_the_push(interviewer: Api, client: TestClient) -> None:
    session_id, token = _session(interviewer)
    with TestClient(client.app).websocket_connect(f"/api/interview/{token}/room") as room:
        assert _push(interviewer, session_id).status_code == 201
        message = room.receive_json()
        assert message["type"] == "followup"
        assert message["question"] == "log-softmax" and message["parent"] == "softmax"
        assert message["title"] == "Log-softmax with masked entries" and message["ask"].startswith("Now")


def test_an_admin_upload_with_a_broken_link_is_refused(admin: Api, stack: Stack) -> None:
    files = read_question_files(stack.settings.bank_dir / "softmax")
    files["question.toml"] = files["question.toml"].replace('question = "log-softmax"', 'question = "gone-missing"')
    response = admin.put("/api/admin/questions/softmax", json={"files": files})
    assert response.status_code == 422, response.text
    assert response.json()["detail"]["field"] == "followups.0.question"
    assert "no question 'gone-missing'" in response.json()["message"]
    versions = admin.get("/api/admin/questions/softmax/versions").json()
    assert all(v["state"] == "published" for v in versions)  # nothing was stored


def test_a_bank_sync_resolves_links_in_its_folders_or_the_database(stack: Stack, tmp_path: Path) -> None:
    files = read_question_files(stack.settings.bank_dir / "softmax")
    linked = {**files, "question.toml": files["question.toml"].replace('slug = "softmax"', 'slug = "softmax-linked"')}
    write_question_files(tmp_path / "linked" / "softmax-linked", linked)
    with stack.database.session() as db:  # its follow-up, log-softmax, is only in the database
        assert sync_bank(db, tmp_path / "linked").added == ["softmax-linked"]
        retire(db, "softmax-linked")  # the other tests' question lists stay as they were

    broken = dict(linked)
    broken["question.toml"] = (
        linked["question.toml"]
        .replace('slug = "softmax-linked"', 'slug = "softmax-broken"')
        .replace('question = "log-softmax"', 'question = "gone-missing"')
    )
    write_question_files(tmp_path / "broken" / "softmax-broken", broken)
    with stack.database.session() as db, pytest.raises(QuestionFormatError) as info:
        sync_bank(db, tmp_path / "broken")
    assert info.value.field == "followups.0.question" and "no question 'gone-missing'" in str(info.value)
    with stack.database.session() as db:
        assert current_version(db, "softmax-broken", include_retired=True) is None


def test_the_follow_up_starts_from_the_parents_shared_document(
    interviewer: Api, client: TestClient, stack: Stack
) -> None:
    session_id, token = _session(interviewer)
    candidate = TestClient(client.app)
    candidate.get(f"/api/interview/{token}")
    old_draft = {"question": "softmax", "code": "def softmax(x):\n    pass  # an older draft\n"}
    assert candidate.put(f"/api/interview/{token}/draft", json=old_draft).status_code == 204
    with stack.database.session() as db:  # both sides typed in the shared editor since
        session = db.get(InterviewSession, session_id)
        assert session is not None
        write_text(db, session, "softmax", PARENT_CODE, CANDIDATE)
    assert _push(interviewer, session_id).status_code == 201
    with stack.database.session() as db:
        session = db.get(InterviewSession, session_id)
        assert session is not None
        assert shared_text(db, session, "log-softmax") == PARENT_CODE  # what both editors open with
