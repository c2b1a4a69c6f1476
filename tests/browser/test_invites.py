"""An admin invites an interviewer on the invites page; the invited person opens the link in
another browser, sets a password, and lands on the interviews page as an interviewer."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from .flows import PASSWORD, log_in, shot

pytestmark = pytest.mark.slow


def test_an_invite_link_makes_an_interviewer_in_the_browser(new_page: Any, server: Any, shots: Path) -> None:
    admin = new_page()
    page = admin.page
    log_in(page, server.create_user("admin"))
    admin.goto("/admin/invites")
    team = f"Research {uuid.uuid4().hex[:6]}"
    page.fill("#team-name", team)
    with page.expect_navigation():
        page.click("form[action='/admin/teams'] button[type=submit]")
    invited = f"invited-{uuid.uuid4().hex[:8]}@example.com"
    page.fill("#email", invited)
    page.select_option("#team_id", label=team)
    with page.expect_navigation():
        page.click("form[action='/admin/invites'] button[type=submit]")
    link = page.input_value("[data-invite-link]")
    assert "/invite/" in link
    shot(page, shots, "admin-invites")

    guest = new_page()
    gpage = guest.page
    gpage.goto(link)
    assert invited in gpage.inner_text("[data-invite]") and team in gpage.inner_text("[data-invite]")
    gpage.fill("#password", PASSWORD)
    gpage.fill("#confirm", PASSWORD)
    shot(gpage, shots, "invite-accept")
    with gpage.expect_navigation():
        gpage.click("form button[type=submit]")
    assert gpage.url.endswith("/interviews")
    assert gpage.locator("nav a[href='/interviews']").count() == 1  # the interviewer's menu

    admin.goto("/admin/invites")
    row = page.locator("[data-invites] tr", has_text=invited)
    assert row.locator(".badge").inner_text() == "accepted"
    admin.assert_clean()
    guest.assert_clean()
