"""A live interview on PostgreSQL + Redis with two API processes, in real browsers.

The interviewer's pages come from one API process and the candidate's from the other, with a
Celery worker grading: the shared editor's edits and cursors, a pushed follow-up and a graded
run all cross between the processes through the Redis bus and the database, as they do behind
a load balancer. (The other browser tests run `dojo serve` on the embedded default.)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from app.accounts.models import Role
from app.accounts.service import get_user_by_email, set_role
from tests.server.support import WorkerProcess, postgres_stack
from tests.server.test_two_processes import ApiProcess

from .flows import PASSWORD, editor_text, log_in, set_code, solution, wait_verdict
from .test_pair_editing import LIVE_EDITOR, _type_at_end, _wait_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_apis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("two-apis")
    stack = postgres_stack(root)  # fails under CI=true when PostgreSQL or Redis is missing
    started: list[Any] = []
    try:
        for name in ("first", "second"):
            started.append(ApiProcess(stack, root / f"{name}.log"))
        started.append(WorkerProcess(stack, "two-apis-worker", root))
        first, second, worker = started
        yield SimpleNamespace(
            stack=stack, first=first.wait_ready(), second=second.wait_ready(), worker=worker.wait_ready()
        )
    finally:
        for process in reversed(started):
            process.stop()
        stack.close()


def _interviewer_account(two_apis: SimpleNamespace) -> str:
    email = f"two-apis-{uuid.uuid4().hex[:8]}@example.com"
    response = httpx.post(f"{two_apis.first.url}/api/auth/signup", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    with two_apis.stack.database.session() as db:
        user = get_user_by_email(db, email)
        assert user is not None
        set_role(db, user.id, Role.INTERVIEWER)
    return email


def _page(browser: Any, base_url: str) -> Any:
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def test_a_live_interview_spans_two_api_processes(browser: Any, two_apis: SimpleNamespace, tmp_path: Path) -> None:
    first, second = two_apis.first, two_apis.second
    page = _page(browser, first.url)  # the interviewer, on the first process
    log_in(page, _interviewer_account(two_apis))
    page.goto("/interviews/new")
    page.fill("#candidate_name", "Ada")
    page.check("input[name=framework][value=torch]")
    page.check("input[name=questions][value=softmax]")
    with page.expect_navigation():
        page.click("[data-create-session]")
    link = page.input_value("[data-candidate-link]").replace(first.url, second.url)
    assert link.startswith(second.url)
    session_url = page.url.removesuffix("/")

    cpage = _page(browser, second.url)  # the candidate, on the second process
    cpage.goto(link)
    with cpage.expect_navigation():
        cpage.click("[data-start-session]")
    cpage.wait_for_selector(".cm-content[contenteditable=true]")
    page.goto(f"{session_url}/live")
    page.wait_for_selector(f"{LIVE_EDITOR}[contenteditable=true]")

    # Edits and cursors cross the processes both ways.
    set_code(cpage, solution("wrong_axis.torch.py"))
    _wait_text(page, LIVE_EDITOR, "dim=0")
    page.wait_for_selector(".live-pane .cm-ySelectionInfo:has-text('Ada')")
    _type_at_end(page, LIVE_EDITOR, "\n# hint: which axis holds the classes?\n")
    _wait_text(cpage, ".cm-content", "which axis holds the classes?")
    cpage.wait_for_selector(".cm-ySelectionInfo:has-text('Interviewer')")

    # The interviewer's fix, graded from the candidate's process by the worker: accepted.
    set_code(page, solution("stable.torch.py"))
    _wait_text(cpage, ".cm-content", "amax(dim=-1")
    cpage.click("[data-run]")
    assert wait_verdict(cpage) == "accepted"

    # A follow-up pushed on the first process switches the candidate's page on the second.
    control = page.locator("[data-followups='softmax']")
    with page.expect_navigation():
        control.locator("[data-push-followup]").first.click()
    pushed = page.url.rsplit("part=", 1)[-1]
    cpage.wait_for_url(f"**/interview?q={pushed}", timeout=15_000)
    cpage.wait_for_selector("[data-followup-banner]")
    cpage.wait_for_selector(".cm-editor")
    assert "amax(dim=-1" in editor_text(cpage)  # the parent's code, carried over
