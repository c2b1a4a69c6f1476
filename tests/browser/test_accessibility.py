"""WCAG 2.1 A and AA on every page, checked by axe-core in Chromium.

Each page is checked as each kind of visitor sees it (anonymous, a candidate, an interviewer,
a candidate on an interview link), in the light and dark themes, at a laptop and a phone width.
Pages are loaded in one browser against one server; any violation fails the test and is listed
with its rule, element and message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from .axe import Violation, report, run_axe
from .flows import log_in, set_code, solution, start_session, wait_verdict

pytestmark = pytest.mark.slow

LAPTOP_A11Y = {"width": 1280, "height": 800}
PHONE_A11Y = {"width": 390, "height": 844}
MISSING_PAGE = "/no-such-page"
FORBIDDEN_PAGE = "/interviews"  # for a candidate: the 403 page


@dataclass
class Site:
    """What the pages need to exist: accounts, a graded submission, interview sessions."""

    candidate_state: Any
    interviewer_state: Any
    submission_id: str
    answered_card: str
    session_id: str
    link_not_started: str
    link_started: str

    def pages(self) -> dict[str, list[str]]:
        concept = "/questions/concept-prng-key-reuse"
        browse = ["/", "/questions", "/questions/softmax", "/questions/linear-regression", "/practice", concept]
        interview = f"/interviews/{self.session_id}"
        return {
            "anonymous": [*browse, "/login", "/signup", MISSING_PAGE, self.link_not_started],
            "candidate": [
                *browse,
                self.answered_card,
                "/account",
                f"/submissions/{self.submission_id}",
                "/questions/softmax/submissions",
                "/questions/softmax/solutions",
                MISSING_PAGE,
                FORBIDDEN_PAGE,
            ],
            "interviewer": [
                "/interviews",
                "/interviews/new",
                interview,
                f"{interview}/live",
                f"{interview}/report",
                "/rubrics",
                "/account",
            ],
            "interview link": [self.link_started],
        }


def _signed_in(browser: Any, server: Any, role: str) -> tuple[Any, Any]:
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, server.create_user(role))
    return context, page


def _new_session(page: Any) -> tuple[str, str]:
    """Create a softmax session; return its id and the candidate link."""
    page.goto("/interviews/new")
    page.fill("#title", "Numerics")
    page.check("input[name=questions][value=softmax]")
    with page.expect_navigation():
        page.click("[data-create-session]")
    session_id = re.search(r"/interviews/(\d+)", page.url)
    assert session_id, page.url
    return session_id.group(1), page.input_value("[data-candidate-link]")


@pytest.fixture(scope="module")
def site(browser: Any, server: Any) -> Any:
    candidate, cpage = _signed_in(browser, server, "candidate")
    cpage.goto("/questions/softmax")
    cpage.wait_for_selector(".cm-editor")
    set_code(cpage, solution("stable.torch.py"))
    cpage.click("[data-submit]")
    wait_verdict(cpage)
    submission_id = str(cpage.get_attribute("[data-verdict]", "data-submission"))
    cpage.goto("/questions/concept-prng-key-reuse")
    # A blank answer reveals the model answer and the rating buttons.
    with cpage.expect_navigation():
        cpage.click("[data-reveal]")
    answered_card = cpage.url.split(server.url, 1)[1].split("#", 1)[0]

    interviewer, ipage = _signed_in(browser, server, "interviewer")
    _, waiting_link = _new_session(ipage)
    session_id, link = _new_session(ipage)
    # The candidate starts the clock and submits once, so the live view and report have content.
    visitor = browser.new_context()
    vpage = visitor.new_page()
    start_session(vpage, link)
    set_code(vpage, solution("stable.torch.py"))
    vpage.click("[data-run]")
    wait_verdict(vpage)

    yield Site(
        candidate_state=candidate.storage_state(),
        interviewer_state=interviewer.storage_state(),
        submission_id=submission_id,
        answered_card=answered_card,
        session_id=session_id,
        link_not_started=waiting_link,
        link_started=link,
    )
    for context in (candidate, interviewer, visitor):
        context.close()


def _settle(page: Any) -> None:
    """Wait for what the page's modules build: editors, rendered maths, the live view's panes."""
    page.wait_for_load_state("load")
    if page.locator("textarea[data-editor]").count():
        page.wait_for_selector(".cm-editor", state="attached")
    if page.locator(".math").count():
        page.wait_for_selector(".math[data-rendered]", state="attached")


def _check_pages(
    browser: Any, server: Any, state: Any, paths: list[str], theme: str, viewport: dict[str, int]
) -> list[Violation]:
    context = browser.new_context(base_url=server.url, viewport=viewport, color_scheme=theme, storage_state=state)
    # The saved choice, as the header's toggle stores it, on top of the system preference.
    context.add_init_script(f"try {{ localStorage.setItem('dojo-theme', '{theme}'); }} catch (e) {{}}")
    page = context.new_page()
    page.set_default_timeout(30_000)
    found: list[Violation] = []
    try:
        for path in paths:
            response = page.goto(path)
            # Error pages included: a browser always gets a page in the app's layout.
            assert "text/html" in response.headers.get("content-type", ""), path
            _settle(page)
            assert page.evaluate("document.documentElement.dataset.theme") == theme
            label = path.replace(server.url, "") if path.startswith("http") else path
            found += run_axe(page, f"{label} [{theme}, {viewport['width']}px]")
    finally:
        context.close()
    return found


@pytest.mark.parametrize("viewport", [LAPTOP_A11Y, PHONE_A11Y], ids=["1280px", "390px"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_passes_axe(browser: Any, server: Any, site: Site, theme: str, viewport: dict[str, int]) -> None:
    states = {
        "anonymous": None,
        "candidate": site.candidate_state,
        "interviewer": site.interviewer_state,
        "interview link": None,
    }
    violations: list[Violation] = []
    for visitor, paths in site.pages().items():
        found = _check_pages(browser, server, states[visitor], paths, theme, viewport)
        violations += [Violation(f"{visitor} {v.page}", v.rule, v.impact, v.help, v.target, v.message) for v in found]
    assert not violations, report(violations)


# Elements whose text no longer fits and is cut off (overflow hidden or clip), and whether the
# page needs sideways scrolling. Visually hidden text (.sr-only) is cut off on purpose.
_CLIPPED = """() => {
    const clipped = [];
    for (const el of document.body.querySelectorAll("*")) {
        if (el.closest(".sr-only, .skip-link, .cm-editor, [hidden]") || !el.textContent.trim()) continue;
        const style = getComputedStyle(el);
        if (!/(hidden|clip)/.test(style.overflowX + style.overflowY)) continue;
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
            clipped.push(el.tagName.toLowerCase() + (el.className ? "." + [...el.classList].join(".") : ""));
        }
    }
    const root = document.documentElement;
    const wide = [...document.body.querySelectorAll("*")]
        .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1 && !el.closest(".sr-only, .skip-link"))
        .map(el => el.tagName.toLowerCase() + (el.className ? "." + [...el.classList].join(".") : ""));
    return {clipped, sideways: root.scrollWidth > root.clientWidth + 1 ? wide.slice(0, 6) : null};
}"""


_NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_text_at_200_percent_loses_nothing(browser: Any, server: Any, site: Site) -> None:
    """Twice the reader's font size (every size is in rem) at a laptop width: nothing is cut off."""
    checks = [
        (site.candidate_state, ["/", "/questions", "/questions/softmax", "/practice", site.answered_card]),
        (site.interviewer_state, ["/interviews/new", f"/interviews/{site.session_id}/report"]),
    ]
    problems: list[str] = []
    for state, paths in checks:
        context = browser.new_context(base_url=server.url, viewport=LAPTOP_A11Y, storage_state=state)
        page = context.new_page()
        try:
            for path in paths:
                page.goto(path)
                _settle(page)
                page.evaluate("document.documentElement.style.fontSize = '200%'")
                page.evaluate(_NEXT_FRAMES)  # the page's scripts see the reflow
                found = page.evaluate(_CLIPPED)
                if found["sideways"]:
                    problems.append(f"{path}: the page scrolls sideways, past its edge: {found['sideways']}")
                problems += [f"{path}: text cut off in {element}" for element in found["clipped"]]
                problems += [v.line() for v in run_axe(page, f"{path} [200% text]")]
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def test_reduced_motion_stops_the_animations(browser: Any, server: Any) -> None:
    """The spinner and the live dot animate only for readers who have not asked for less motion."""
    probe = """() => {
        const host = document.createElement("div");
        host.innerHTML = '<span class="spinner"></span><span class="live-indicator"><span class="pulse"></span></span>';
        document.body.appendChild(host);
        const seconds = (el) => parseFloat(getComputedStyle(el).animationDuration);
        const result = [seconds(host.querySelector(".spinner")), seconds(host.querySelector(".pulse"))];
        host.remove();
        return result;
    }"""
    durations = {}
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(base_url=server.url, reduced_motion=motion)
        page = context.new_page()
        page.goto("/login")
        durations[motion] = page.evaluate(probe)
        context.close()
    assert all(seconds >= 0.5 for seconds in durations["no-preference"]), durations
    assert all(seconds < 0.01 for seconds in durations["reduce"]), durations


def test_time_left_is_announced_at_milestones_only(browser: Any, server: Any) -> None:
    """The countdown is a timer that is not read out each second; milestones reach the live region."""
    interviewer, ipage = _signed_in(browser, server, "interviewer")
    ipage.goto("/interviews/new")
    ipage.check("input[name=questions][value=softmax]")
    ipage.select_option("#duration_min", "15")
    with ipage.expect_navigation():
        ipage.click("[data-create-session]")
    link = ipage.input_value("[data-candidate-link]")
    interviewer.close()

    context = browser.new_context()
    page = context.new_page()
    try:
        page.clock.install()
        page.goto(link)
        with page.expect_navigation():
            page.click("[data-start-session]")
        timer = page.locator("[data-countdown]")
        page.wait_for_selector("[data-countdown][role=timer]")
        assert timer.get_attribute("aria-live") == "off" and timer.get_attribute("aria-label") == "Time left"
        said = "() => document.querySelector('[data-announcer]').textContent"
        page.clock.fast_forward("04:00")  # about 11 minutes left: the 15 minute mark was behind at the start
        page.wait_for_timeout(300)
        assert page.evaluate(said) == ""
        page.clock.fast_forward("01:10")  # under 10 minutes
        page.wait_for_function(f"() => ({said})() === '10 minutes left'")
        page.clock.fast_forward("05:00")  # under 5 minutes
        page.wait_for_function(f"() => ({said})() === '5 minutes left'")
        page.clock.fast_forward("05:00")
        page.wait_for_function(f"() => ({said})() === 'Time is up'")
    finally:
        context.close()
