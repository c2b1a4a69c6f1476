"""A candidate in the browser: the problem list, a wrong answer, solving softmax, references."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .flows import (
    LAPTOP,
    PHONE,
    Watched,
    current_verdict_id,
    editor_text,
    set_code,
    shot,
    sign_up,
    solution,
    wait_verdict,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def candidate_state(browser: Any, server: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signed-up candidate's cookies, shared by this module's tests."""
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    sign_up(page)
    state = tmp_path_factory.mktemp("candidate") / "state.json"
    context.storage_state(path=str(state))
    context.close()
    return state


@pytest.fixture
def candidate(browser: Any, server: Any, candidate_state: Path) -> Any:
    context = browser.new_context(base_url=server.url, viewport=LAPTOP, storage_state=str(candidate_state))
    watched = Watched(context, server)
    yield watched
    context.close()


def test_question_list_filters_and_search(candidate: Any, shots: Path) -> None:
    page = candidate.page
    candidate.goto("/questions")
    assert page.locator("tr[data-slug='softmax']").is_visible()
    assert page.locator("tr[data-slug='concept-prng-key-reuse']").is_visible()
    shot(page, shots, "problems")
    page.select_option("#kind", "coding")  # applies at once
    page.wait_for_url("**/questions?kind=coding")
    assert page.locator("tr[data-slug='concept-prng-key-reuse']").count() == 0
    page.fill("#q", "stable softmax")
    page.press("#q", "Enter")
    page.wait_for_url("**q=stable+softmax**")
    assert page.locator("tr[data-slug]").count() == 1
    candidate.assert_clean()


def test_wrong_answer_shows_the_failing_case(candidate: Any, shots: Path) -> None:
    page = candidate.page
    candidate.goto("/questions/softmax")
    page.wait_for_selector(".cm-editor")
    assert "def softmax" in editor_text(page)  # the starter code
    with page.expect_navigation():
        page.click("[data-framework-link='jax']")  # the framework switch
    page.wait_for_selector(".cm-editor")
    assert "import jax" in editor_text(page)
    with page.expect_navigation():
        page.click("[data-framework-link='torch']")
    page.wait_for_selector(".cm-editor")
    set_code(page, solution("wrong_axis.torch.py"))
    page.keyboard.press("Control+Enter")  # Run
    page.wait_for_selector("[data-pending]")
    status = wait_verdict(page, None)
    assert status == "wrong_answer"
    case = page.locator("[data-failing-case]")
    assert "small" in case.inner_text()
    expected = page.locator("[data-expected]").inner_text()
    actual = page.locator("[data-actual]").inner_text()
    assert expected.startswith("float32[2, 4]") and actual.startswith("float32[2, 4]")
    assert expected != actual
    shot(page, shots, "wrong-answer")
    # The draft survives a reload: the editor shows the last code, not the starter.
    page.reload()
    page.wait_for_selector(".cm-editor")
    assert "dim=0" in editor_text(page)
    candidate.assert_clean()


def test_solving_softmax_shows_accepted_with_speed(candidate: Any, shots: Path) -> None:
    page = candidate.page
    candidate.goto("/questions/softmax/solutions")
    assert page.locator("[data-locked]").is_visible()  # not solved yet: no references
    candidate.goto("/questions/softmax")
    page.wait_for_selector(".cm-editor")
    previous = current_verdict_id(page)
    set_code(page, solution("stable.torch.py"))
    page.keyboard.press("Control+Shift+Enter")  # Submit
    page.wait_for_selector("[data-pending]")
    assert wait_verdict(page, previous) == "accepted"
    assert page.locator("[data-verdict-title]").inner_text() == "Accepted"
    speed = page.locator("[data-speed-panel]")
    speed.wait_for()
    assert page.locator("[data-speedup]").inner_text().endswith("\u00d7")  # e.g. 1.02x
    assert page.locator("[data-submission-ms]").inner_text().endswith("s")  # ms, µs or s
    page.wait_for_selector("[data-runtime-chart] canvas")  # the uPlot distribution chart
    shot(page, shots, "accepted")
    # The whole verdict panel, unclipped by its scrolling pane.
    # A constructed style sheet: the page's CSP refuses inline <style> tags.
    page.evaluate(
        """css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }""",
        ".workspace { height: auto !important; } .workspace > .pane { overflow: visible !important; }"
        " [data-results] { max-height: none !important; }",
    )
    page.locator("[data-verdict]").screenshot(path=str(shots / "speed-panel.png"))

    page.click("[data-solutions-link]")
    page.wait_for_selector("[data-references]")
    assert "torch" in page.locator("[data-reference='torch']").inner_text()
    assert "jnp" in page.locator("[data-reference='jax']").inner_text()
    shot(page, shots, "solutions")

    candidate.goto("/questions/softmax/submissions")
    rows = page.locator("table[data-history] tbody tr")
    assert rows.count() >= 1
    assert "Accepted" in rows.first.inner_text()
    shot(page, shots, "history")
    candidate.assert_clean()


def test_references_stay_locked_for_another_user(new_page: Any) -> None:
    other = new_page()
    sign_up(other.page)
    other.goto("/questions/softmax/solutions")
    assert other.page.locator("[data-locked]").is_visible()
    assert other.page.locator("[data-reference]").count() == 0
    assert "amax" not in other.page.content()
    other.assert_clean()


def test_concept_card_reveal_and_rate(candidate: Any, shots: Path) -> None:
    page = candidate.page
    candidate.goto("/questions/concept-prng-key-reuse")
    assert page.locator("[data-model-answer]").count() == 0  # not before answering
    shot(page, shots, "concept-card")
    page.fill("#text", "True\nFalse\nTrue")
    with page.expect_navigation():
        page.click("[data-reveal]")
    assert "Correct" in page.locator("[data-revealed]").inner_text()
    assert page.locator("[data-model-answer]").is_visible()
    shot(page, shots, "concept-revealed", full_page=True)
    with page.expect_navigation():
        page.keyboard.press("3")  # Good
    candidate.goto("/practice")
    assert "Good" in page.locator("table[data-deck]").inner_text()
    candidate.assert_clean()


def test_pages_work_without_javascript(new_page: Any, candidate_state: Path) -> None:
    plain = new_page(javascript=False)
    plain.context.add_cookies(_cookies(candidate_state))
    page = plain.page
    plain.goto("/questions?difficulty=easy")
    assert page.locator("tr[data-slug='softmax']").is_visible()
    plain.goto("/questions/softmax")
    # The editor falls back to the form's textarea; the prompt is plain HTML.
    assert "last axis" in page.locator(".prose").inner_text()
    page.fill("textarea[data-editor]", solution("naive_exp.torch.py"))
    with page.expect_navigation():
        page.click("[data-run]")
    assert "/submissions/" in page.url
    # The result page refreshes itself until the verdict is in.
    page.wait_for_selector("[data-verdict]", timeout=60_000)
    assert page.get_attribute("[data-verdict]", "data-status") == "accepted"  # examples only


def test_phone_width_has_no_sideways_scroll(new_page: Any, candidate_state: Path, shots: Path) -> None:
    phone = new_page(viewport=PHONE)
    phone.context.add_cookies(_cookies(candidate_state))
    for path in ("/questions", "/questions/softmax", "/practice"):
        phone.goto(path)
        phone.page.wait_for_load_state("networkidle")
        overflow = phone.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at phone width"
    phone.goto("/questions/softmax")
    phone.page.wait_for_selector(".cm-editor")
    shot(phone.page, shots, "question-phone")
    phone.assert_clean()


def _cookies(state: Path) -> list[dict[str, Any]]:
    import json

    return list(json.loads(state.read_text())["cookies"])


def test_home_and_dark_theme(new_page: Any, candidate_state: Path, shots: Path) -> None:
    visitor = new_page()
    visitor.goto("/")
    assert visitor.page.locator("a[href='/signup']").first.is_visible()
    shot(visitor.page, shots, "home")

    dark = new_page()
    dark.context.add_cookies(_cookies(candidate_state))
    dark.goto("/questions/softmax")
    dark.page.wait_for_selector(".cm-editor")
    dark.page.click("[data-theme-toggle]")
    assert dark.page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark.page.reload()  # the choice is remembered
    dark.page.wait_for_selector(".cm-editor")
    assert dark.page.evaluate("document.documentElement.dataset.theme") == "dark"
    shot(dark.page, shots, "question-dark")
    dark.goto("/practice")
    shot(dark.page, shots, "concepts")
    visitor.assert_clean()
    dark.assert_clean()
