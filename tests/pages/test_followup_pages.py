"""Follow-ups on the pages: the live view's push button, the candidate's banner, the report's parts."""

from __future__ import annotations

import html
import re

from tests.server.support import Stack
from workers.grading.bank import load_question

from .conftest import Browser
from .test_interview_pages import _create, _interviewer

CODE = "import torch\n\ndef softmax(x):\n    return torch.exp(x) / torch.exp(x).sum(-1, keepdim=True)  # carried\n"


def _started_candidate(browser: Browser, link: str) -> Browser:
    candidate = Browser(browser.client.app)
    candidate.get(link)
    assert candidate.submit("/interview", "/interview/start", {}).status_code == 303
    return candidate


def _ask(stack: Stack) -> str:
    return load_question(stack.settings.bank_dir / "softmax").spec.followups[0].ask


def test_the_interviewer_pushes_and_the_candidate_gets_the_part(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    detail_url, link = _create(browser)
    candidate = _started_candidate(browser, link)
    page = candidate.get("/interview").text
    assert "data-followup-banner" not in page and "Log-softmax" not in page, "follow-ups stay unseen until pushed"
    # A run from the page without scripts: the posted code becomes the part's shared text.
    ran = candidate.submit("/interview", "/interview/submissions", {"question": "softmax", "code": CODE})
    assert ran.status_code == 303

    live = browser.get(f"{detail_url}/live").text
    control = live.split('data-followups="softmax"')[1]
    assert "Log-softmax with masked entries" in control and "data-push-followup" in control
    assert html.escape(_ask(stack), quote=False) in control

    pushed = browser.submit(
        f"{detail_url}/live", f"{detail_url}/followups", {"parent": "softmax", "question": "log-softmax"}
    )
    assert pushed.status_code == 303 and pushed.headers["location"] == f"{detail_url}/live?part=log-softmax"
    live = browser.get(pushed.headers["location"]).text
    assert "Follow-up pushed" in live
    tab = re.search(r'<a [^>]*data-live-tab="log-softmax"[^>]*>', live)
    assert tab and 'class="followup-tab"' in tab.group(0) and 'aria-current="true"' in tab.group(0)
    assert "data-followup-pushed" in live.split('data-followups="softmax"')[1]
    assert html.escape(CODE, quote=False) in live.split('data-live-pane="log-softmax"')[1]

    # The status poll names the new part, for a page whose room socket missed the push.
    parts = candidate.get("/interview/status").json()["parts"]
    assert parts == [
        {"question": "softmax", "followup_of": None},
        {"question": "log-softmax", "followup_of": "softmax"},
    ]
    followup = candidate.get("/interview?q=log-softmax").text
    banner = followup.split("data-followup-banner")[1].split("</div>")[0]
    assert html.escape(_ask(stack), quote=False) in banner and "Numerically stable softmax" in banner
    assert html.escape(CODE, quote=False) in followup.split('id="code"')[1], "the parent's code is the start"
    assert "def log_softmax" in followup  # the follow-up's own signature above the editor
    parent = candidate.get("/interview?q=softmax").text
    assert "data-followup-banner" not in parent and 'data-question-tab="log-softmax"' in parent

    report = browser.get(f"{detail_url}/report").text
    label = report.split('data-report-question="log-softmax"')[1].split("data-followup-label>")[1].split("</p>")[0]
    assert "Follow-up of" in label and "Numerically stable softmax" in label
    assert 'data-followup-of="softmax"' in report
    assert report.index('data-report-question="softmax"') < report.index('data-report-question="log-softmax"')


def test_no_push_once_ended_and_none_for_strangers(browser: Browser, stack: Stack) -> None:
    _interviewer(browser, stack)
    detail_url, _link = _create(browser)
    stranger = Browser(browser.client.app)
    _interviewer(stranger, stack)
    form = {"parent": "softmax", "question": "log-softmax"}
    assert stranger.submit("/interviews", f"{detail_url}/followups", form).status_code == 404

    assert browser.submit(detail_url, f"{detail_url}/end", {}).status_code == 303
    live = browser.get(f"{detail_url}/live").text
    assert "Log-softmax with masked entries" in live and "data-push-followup" not in live
    late = browser.submit(
        f"{detail_url}/live", f"{detail_url}/followups", {"parent": "softmax", "question": "log-softmax"}
    )
    assert late.status_code == 303 and late.headers["location"] == f"{detail_url}/live?part=softmax"
    assert "the session has ended" in browser.get(late.headers["location"]).text
