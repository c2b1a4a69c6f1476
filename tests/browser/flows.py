"""Steps the browser tests share: accounts, typing into the editor, waiting for verdicts."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
GRADING_TIMEOUT_MS = 120_000
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
SOLUTIONS = REPO_ROOT / "questions" / "softmax" / "solutions"


def solution(name: str) -> str:
    return (SOLUTIONS / name).read_text()


def sign_up(page: Any) -> str:
    email = f"cand-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/signup")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/signup'] button[type=submit]")
    return email


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")


def start_session(page: Any, link: str) -> None:
    """Open a candidate link on `page` and start the clock; returns once the editor shows."""
    page.goto(link)
    with page.expect_navigation():
        page.click("[data-start-session]")
    page.wait_for_selector(".cm-editor")


def set_code(page: Any, code: str) -> None:
    """Replace the editor's text the way a paste does (no auto-indent or bracket closing)."""
    page.click(".cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def editor_text(page: Any) -> str:
    return str(page.eval_on_selector("textarea[data-editor]", "el => el.value"))


def wait_verdict(page: Any, previous: str | None = None) -> str:
    """Wait for a verdict panel for a submission other than `previous`; return its status."""
    page.wait_for_function(
        """prev => {
            const v = document.querySelector('[data-verdict]');
            return v && v.dataset.submission !== prev;
        }""",
        arg=previous or "",
        timeout=GRADING_TIMEOUT_MS,
    )
    return str(page.get_attribute("[data-verdict]", "data-status"))


def results_text(page: Any, limit: int = 800) -> str:
    """The results pane's text on one line (a verdict's title and message, or a submit error),
    for an assertion message that says what came back instead."""
    text = page.eval_on_selector("[data-results]", "el => el.textContent")
    return " ".join(str(text).split())[:limit]


def current_verdict_id(page: Any) -> str | None:
    element = page.query_selector("[data-verdict]")
    return element.get_attribute("data-submission") if element else None


def shot(page: Any, folder: Path, name: str, full_page: bool = False) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


class Watched:
    """A page whose console errors and uncaught exceptions are collected for assertions."""

    def __init__(self, context: Any, server: Any) -> None:
        self.context = context
        self.page = context.new_page()
        self.page.set_default_timeout(30_000)
        self.server = server
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{message.type}: {message.text}")

    def goto(self, path: str) -> Any:
        """A path (resolved against the server) or a full URL."""
        return self.page.goto(path)

    def assert_clean(self) -> None:
        assert not self.errors, "browser console errors:\n" + "\n".join(self.errors)
