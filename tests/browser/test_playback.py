"""Playback in a real browser: the candidate types and runs twice, the report plays the history
back, and jumping to a run's marker shows that run's code and verdict. The player's decoding is
checked against the server's diffs for random unicode edits, seeking in every direction."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.interviews.playback import CodeSnapshot, build_playback

from .axe import report, run_axe
from .flows import REPO_ROOT, log_in, set_code, solution, start_session, wait_verdict
from .test_accessibility import _new_session as new_session

pytestmark = pytest.mark.slow


def test_report_plays_back_and_jumps_to_each_run(new_page: Any, server: Any, shots: Path) -> None:
    interviewer = new_page()
    page = interviewer.page
    log_in(page, server.create_user("interviewer"))
    session_id, link = new_session(page)

    # The candidate types, runs the wrong axis, fixes it and runs again.
    candidate = new_page()
    cpage = candidate.page
    start_session(cpage, link)
    wrong, stable = solution("wrong_axis.torch.py"), solution("stable.torch.py")
    set_code(cpage, wrong)
    cpage.click("[data-run]")
    assert wait_verdict(cpage) == "wrong_answer"
    first = cpage.get_attribute("[data-verdict]", "data-submission")
    set_code(cpage, stable)
    cpage.click("[data-run]")
    assert wait_verdict(cpage, first) == "accepted"

    interviewer.goto(f"/interviews/{session_id}/report")
    panel = page.locator("[data-report-question='softmax'] [data-playback]")
    panel.wait_for(state="visible")
    scrubber = panel.locator("[data-playback-scrubber]")
    code = panel.locator("[data-playback-code]")
    steps = int(scrubber.get_attribute("max") or 0)
    assert steps >= 2 and scrubber.input_value() == str(steps)  # opens on the final code
    assert panel.locator("[data-playback-marker]").count() == 2
    assert "keystrokes between saves are not recorded" in panel.locator("[data-playback-note]").inner_text()

    # Play it from the start at 16x to the end.
    scrubber.focus()
    page.keyboard.press("Home")
    assert "NotImplementedError" in code.inner_text()  # the starter code
    assert "step 0 of" in panel.locator("[data-playback-position]").inner_text()
    panel.locator("[data-playback-speed='16']").click()
    assert panel.locator("[data-playback-speed='16']").get_attribute("aria-pressed") == "true"
    panel.locator("[data-playback-play]").click()
    assert panel.locator("[data-playback-play]").inner_text() == "Pause"
    page.wait_for_function("el => el.value === el.max", arg=scrubber.element_handle(), timeout=30_000)
    page.wait_for_function(
        "el => el.textContent === 'Play'", arg=panel.locator("[data-playback-play]").element_handle()
    )

    # The second run's marker: its code and its verdict.
    panel.locator("[data-playback-marker='2']").click()
    assert code.inner_text() == stable
    result = panel.locator("[data-playback-result]")
    assert "At Run #2" in result.inner_text() and "Accepted" in result.inner_text()
    assert panel.locator("[data-playback-marker='2']").get_attribute("aria-current") == "step"
    violations = run_axe(page, "report with playback at a run")
    assert not violations, report(violations)
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(shots / "interview-playback.png"))

    # Back to the first run, by the "Previous run" button: the wrong axis and its failing test.
    panel.locator("[data-playback-prev]").click()
    assert code.inner_text() == wrong
    assert "At Run #1" in result.inner_text() and "Wrong answer" in result.inner_text()
    assert "First failing test" in result.locator("[data-playback-failing]").inner_text()

    # One step back by keyboard: before the first run, its result is not shown as current.
    marker_step = int(scrubber.input_value())
    scrubber.focus()
    page.keyboard.press("ArrowLeft")
    assert scrubber.input_value() == str(marker_step - 1)
    assert "At Run #1" not in result.inner_text()
    page.keyboard.press("End")
    assert code.inner_text() == stable
    page.keyboard.press("Home")
    page.keyboard.press("PageUp")  # ten steps (here: to the end), not a tenth of the range
    assert scrubber.input_value() == str(min(10, steps))
    interviewer.assert_clean()
    candidate.assert_clean()


T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PIECES = ["a", "b", " ", "\n", "\r\n", "\t", "\u00e9", "e\u0301", "\U0001f600", "\u4e2d", "\u2028", "def f():\n"]
EVERY = 3  # keyframes every 3 steps, so that a short history crosses many of them


LINES = [
    "    x = 1\r\n",
    "    return x\n",
    "# \u00e9t\u00e9 \U0001f600\n",
    "\n",
    "def g(y):\n",
    "    y += 2  # \u4e2d\n",
]


def _keystrokes(rng: random.Random) -> list[str]:
    """Typing: a short text changed a few characters at a time anywhere."""
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))]
    for _ in range(rng.randint(1, 25)):
        chars = list(texts[-1])
        start = rng.randint(0, len(chars))
        end = rng.randint(start, min(len(chars), start + rng.choice((0, 1, 3, 40))))
        inserted = [rng.choice(PIECES) for _ in range(rng.choice((0, 1, 2, 30)))]
        texts.append("".join(chars[:start] + inserted + chars[end:]))
    return texts


def _saves(rng: random.Random) -> list[str]:
    """Saves of long code changed in several places each (several splices a step)."""
    lines = [rng.choice(LINES) for _ in range(rng.randint(30, 60))]
    texts = ["".join(lines)]
    for _ in range(rng.randint(1, 8)):
        for _ in range(rng.randint(2, 5)):
            where = rng.randrange(len(lines))
            lines[where : where + rng.randint(0, 2)] = [rng.choice(LINES) for _ in range(rng.randint(0, 3))]
        texts.append("".join(lines))
    return texts


_CHECK = """async ({cases, every}) => {
    const { History } = await import("/js/playback_frames.js");
    const problems = [];
    for (const [n, c] of cases.entries()) {
        const history = new History(c.initial, c.frames, every);
        history.textAt(c.frames.length);  // once to the end: every keyframe exists
        for (const step of c.order) {
            if (history.textAt(step) !== c.expected[step]) problems.push(`case ${n}: step ${step} differs`);
            if (history.applied >= every) problems.push(`case ${n}: step ${step} applied ${history.applied}`);
            const text = c.expected[step];
            const shown = history.insertedAt(step).map(([a, b]) => text.slice(a, b)).join("");
            if (shown !== c.inserted[step]) problems.push(`case ${n}: step ${step} marks ${JSON.stringify(shown)}`);
        }
    }
    return problems;
}"""


def test_the_player_rebuilds_every_state_the_server_diffed(browser: Any) -> None:
    rng = random.Random(20261206)
    cases = []
    for n in range(80):
        texts = _keystrokes(rng) if n % 2 else _saves(rng)
        data = build_playback(
            [CodeSnapshot(T0 + timedelta(seconds=i), "candidate", t) for i, t in enumerate(texts)], [], T0
        )
        expected = [texts[0]]
        for text in texts[1:]:
            if text != expected[-1]:
                expected.append(text)
        # What each step inserted, first position first (the splices come last position first).
        inserted = [""] + ["".join(reversed(frame[4::3])) for frame in data["frames"]]
        order = list(range(len(expected)))
        rng.shuffle(order)
        cases.append(
            {
                "initial": data["initial"],
                "frames": data["frames"],
                "expected": expected,
                "order": order,
                "inserted": inserted,
            }
        )

    context = browser.new_context()
    static = REPO_ROOT / "app" / "static"

    def serve(route: Any) -> None:
        path = route.request.url.split("playback.test", 1)[1]
        if path.startswith("/js/"):
            route.fulfill(body=(static / path.lstrip("/")).read_text(), content_type="text/javascript")
        else:
            route.fulfill(body="<!doctype html><title>playback</title>", content_type="text/html")

    try:
        context.route("http://playback.test/**", serve)
        page = context.new_page()
        page.goto("http://playback.test/")
        problems = page.evaluate(_CHECK, {"cases": cases, "every": EVERY})
        # Pauses over the cap play as the cap, and the time skipped is counted for the panel.
        clock = page.evaluate(
            """async () => (await import("/js/playback_frames.js")).playClock([0, 100, 5000, 5100, 5100], 2000)"""
        )
    finally:
        context.close()
    assert clock == {"clock": [0, 100, 2100, 2200, 2200], "skipped": [0, 0, 2900, 0, 0]}
    assert not problems, "\n".join(problems[:20])
    assert any(len(frame) > 5 for case in cases for frame in case["frames"]), "no step with several splices"
