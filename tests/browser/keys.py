"""Keyboard-only steps: move focus with Tab, type into the editor, log in, all without a click."""

from __future__ import annotations

from typing import Any

from .flows import PASSWORD

MAX_TABS = 80


def focused_matches(page: Any, selector: str) -> bool:
    return bool(page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector))


def tab_to(page: Any, selector: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`; fail if it never does."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if focused_matches(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} is not reachable with {key} within {MAX_TABS} presses")


def focus_is_visible(page: Any) -> bool:
    """The focused element, or the label around it (hidden radio inputs), draws an outline."""
    return bool(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                const drawn = (node) => node && getComputedStyle(node).outlineStyle !== "none"
                    && parseFloat(getComputedStyle(node).outlineWidth) > 0;
                return drawn(el) || drawn(el.closest("label")) || drawn(el.closest(".cm-editor"));
            }"""
        )
    )


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_code(page: Any, code: str) -> None:
    """Replace the focused editor's text by typing it line by line.

    The editor indents new lines and closes brackets by itself: each line's own indentation
    replaces the automatic one (Shift+Home selects it), and closing brackets typed over the
    inserted ones are skipped by the editor. Escape closes a completion popup before Enter.
    """
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for number, line in enumerate(code.splitlines()):
        if number:
            page.keyboard.press("Escape")
            page.keyboard.press("Enter")
            page.keyboard.press("Shift+Home")
        if line:
            page.keyboard.type(line)
    page.keyboard.press("Escape")

