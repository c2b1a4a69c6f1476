"""The rubrics page, the rubric pick on a new session, and rubric scores on the report."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from app.accounts.models import User
from app.interviews.timeline import add_event
from tests.server.support import Stack

from .conftest import Browser
from .test_interview_pages import _create, _interviewer

ANCHORS = {"1": "lost", "2": "needs hints", "3": "solid work", "4": "teaches us"}
CRITERIA = [{"key": "stability", "title": "Stability", "description": "overflow", "anchors": ANCHORS}]


def _make_rubric(browser: Browser, name: str, criteria: object = None) -> object:
    form = {"name": name, "criteria": json.dumps(CRITERIA if criteria is None else criteria)}
    return browser.submit("/rubrics", "/rubrics", form)


def _rubric_id(html: str, name: str) -> str:
    match = re.search(r'<option value="(\d+)"[^>]*>' + re.escape(name), html)
    assert match, f"{name} is not offered"
    return match.group(1)


def test_rubrics_page_lists_creates_and_deletes(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    page = browser.get("/rubrics")
    assert page.status_code == 200 and 'href="/rubrics"' in page.text
    assert "ML framework interview" in page.text and "shipped with TensorDojo" in page.text
    assert "Delete" not in page.text.split('id="new-rubric"')[0]  # nothing of mine to delete yet
    created = _make_rubric(browser, "Numerics loop")
    assert created.status_code == 303, created.text  # type: ignore[attr-defined]
    page = browser.get("/rubrics").text
    assert page.index("<h2>ML framework interview</h2>") < page.index("<h2>Numerics loop</h2>")
    assert "solid work" in page
    new_form = browser.get("/interviews/new").text
    rubric_id = _rubric_id(new_form, "Numerics loop")
    assert '<option value="default" selected>ML framework interview' in new_form
    deleted = browser.submit("/rubrics", f"/rubrics/{rubric_id}/delete", {})
    assert deleted.status_code == 303
    assert "<h2>Numerics loop</h2>" not in browser.get("/rubrics").text


def test_rubric_form_explains_what_is_wrong(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    not_json = browser.submit("/rubrics", "/rubrics", {"name": "Broken", "criteria": "[{"})
    assert not_json.status_code == 422 and "not valid JSON" in not_json.text and "line 1" in not_json.text
    no_anchor = _make_rubric(browser, "Broken", [CRITERIA[0] | {"anchors": {"1": "a", "2": "b", "3": "c"}}])
    assert no_anchor.status_code == 422 and "missing or empty: 4" in no_anchor.text  # type: ignore[attr-defined]
    twice = _make_rubric(browser, "Broken", CRITERIA * 2)
    assert twice.status_code == 422 and "repeated: stability" in twice.text  # type: ignore[attr-defined]
    assert "Broken" in twice.text  # type: ignore[attr-defined]  # the form keeps what was typed
    assert "<h2>Broken</h2>" not in browser.get("/rubrics").text


def test_rubrics_page_is_for_interviewers_and_owners(browser: Browser, stack: Stack) -> None:
    anonymous = Browser(browser.client.app)
    assert anonymous.get("/rubrics").status_code == 303  # to the login page
    browser.sign_up()
    assert browser.get("/rubrics").status_code == 403
    owner = Browser(browser.client.app)
    _interviewer(owner, stack)
    _make_rubric(owner, "Owner only")
    rubric_id = _rubric_id(owner.get("/interviews/new").text, "Owner only")
    stranger = Browser(browser.client.app)
    _interviewer(stranger, stack)
    assert "<h2>Owner only</h2>" not in stranger.get("/rubrics").text
    assert stranger.submit("/rubrics", f"/rubrics/{rubric_id}/delete", {}).status_code == 404
    assert stranger.get(f"/rubrics/{rubric_id}/edit").status_code == 404
    assert stranger.get(f"/rubrics?start={rubric_id}").status_code == 404
    changed = stranger.submit("/rubrics", f"/rubrics/{rubric_id}", {"name": "Taken", "criteria": json.dumps(CRITERIA)})
    assert changed.status_code == 404
    assert "<h2>Owner only</h2>" in owner.get("/rubrics").text


def test_an_owner_edits_a_rubric_and_any_rubric_can_start_a_new_one(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    _make_rubric(browser, "Numerics loop")
    rubric_id = _rubric_id(browser.get("/interviews/new").text, "Numerics loop")
    edit = browser.get(f"/rubrics/{rubric_id}/edit")
    assert edit.status_code == 200 and "Edit rubric" in edit.text and "teaches us" in edit.text
    assert f'action="/rubrics/{rubric_id}"' in edit.text
    bad = browser.submit(f"/rubrics/{rubric_id}/edit", f"/rubrics/{rubric_id}", {"name": "Numerics", "criteria": "[]"})
    assert bad.status_code == 422 and "Edit rubric" in bad.text  # still editing, with what to fix
    renamed = [CRITERIA[0] | {"title": "Stability under bf16"}]
    form = {"name": "Numerics loop v2", "criteria": json.dumps(renamed)}
    assert browser.submit(f"/rubrics/{rubric_id}/edit", f"/rubrics/{rubric_id}", form).status_code == 303
    page = browser.get("/rubrics").text
    assert "<h2>Numerics loop v2</h2>" in page and "Stability under bf16" in page
    assert "<h2>Numerics loop</h2>" not in page
    copy = browser.get(f"/rubrics?start={rubric_id}").text
    assert 'value="Copy of Numerics loop v2"' in copy and "Stability under bf16" in copy
    assert 'value="Copy of ML framework interview"' in browser.get("/rubrics?start=default").text


def test_report_scores_the_rubric_with_evidence(browser: Browser, stack: Stack) -> None:
    email = _interviewer(browser, stack)
    _make_rubric(browser, "Numerics loop")
    rubric_id = _rubric_id(browser.get("/interviews/new").text, "Numerics loop")
    detail_url, _link = _create(browser, rubric_id=rubric_id)
    session_id = int(detail_url.rsplit("/", 1)[1])
    with stack.database.session() as db:
        run = add_event(db, session_id, "run", question="softmax", submission_id="page-run", data={"code": "x"})
        db.flush()
        run_id = run.id
        owner = db.scalar(select(User).where(User.email == email))
        assert owner is not None
    report_url = f"{detail_url}/report"
    report = browser.get(report_url).text
    assert '<legend>Stability</legend>' in report and 'role="radiogroup" aria-label="Score for Stability"' in report
    assert "teaches us" in report and "Correctness &amp; testing" not in report  # this session's rubric only
    assert f'id="event-{run_id}"' in report and f'href="#event-{run_id}"' in report
    assert f'name="evidence_stability" value="{run_id}"' in report

    form = {"crit_stability": "3", "evidence_stability": str(run_id), "critnote_stability": "used logsumexp"}
    saved = browser.submit(report_url, f"{detail_url}/scorecard", form | {"notes": "ok", "recommendation": "yes"})
    assert saved.status_code == 303
    report = browser.get(report_url).text
    assert 'name="crit_stability" value="3" checked' in report
    assert f'name="evidence_stability" value="{run_id}" checked' in report
    assert "Stability: 3/4</strong> · solid work" in report and "used logsumexp" in report

    other_url, _ = _create(browser)  # the shipped rubric, and a timeline of its own
    other = browser.get(f"{other_url}/report").text
    assert "Correctness &amp; testing" in other and "Tensor &amp; shape reasoning" in other
    with stack.database.session() as db:
        foreign = add_event(db, int(other_url.rsplit("/", 1)[1]), "run", question="softmax", data={"code": "y"})
        db.flush()
        foreign_id = foreign.id
    refused = browser.submit(report_url, f"{detail_url}/scorecard", {"crit_stability": "2",
                                                                      "evidence_stability": str(foreign_id)})
    assert refused.status_code == 422 and "not an entry of this session" in refused.text
    assert 'name="crit_stability" value="3" checked' in browser.get(report_url).text
