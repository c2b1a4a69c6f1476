"""The invite pages: an admin makes a team and an invite link on /admin/invites, the invited
person sets a password on the link's page and lands on the interviews page as an interviewer."""

from __future__ import annotations

import html
import re
import uuid

from fastapi import FastAPI
from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.service import set_role
from tests.server.support import Stack

from .conftest import PASSWORD, Browser


def _admin(browser: Browser, stack: Stack) -> None:
    email = browser.sign_up()
    with stack.database.session() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        set_role(db, user.id, Role.ADMIN)


def test_an_admin_invites_and_the_link_makes_an_interviewer(browser: Browser, app: FastAPI, stack: Stack) -> None:
    _admin(browser, stack)
    team = f"Research {uuid.uuid4().hex[:6]}"
    made = browser.submit("/admin/invites", "/admin/teams", {"name": team})
    assert made.status_code == 303
    page = browser.get("/admin/invites").text
    team_id = re.search(rf'<option value="(\d+)">{re.escape(team)}</option>', page)
    assert team_id, "the new team is offered in the invite form"
    invited = f"new-{uuid.uuid4().hex[:8]}@example.com"
    form = {"email": invited, "role": "interviewer", "team_id": team_id.group(1)}
    created = browser.submit("/admin/invites", "/admin/invites", form)
    # Other sites are never sent the path, so neither is a link's token.
    assert created.status_code == 200 and created.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    match = re.search(r'value="(http://testserver/invite/[A-Za-z0-9_-]+)" aria-label="Invite link"', created.text)
    assert match, "the link is shown once, right after it is made"
    path = match.group(1).removeprefix("http://testserver")
    assert path not in browser.get("/admin/invites").text  # never shown again

    guest = Browser(app)
    landing = guest.get(path)
    assert landing.status_code == 200 and invited in landing.text and html.escape(team) in landing.text
    mismatch = guest.submit(path, path, {"password": PASSWORD, "confirm": PASSWORD + "x"})
    assert mismatch.status_code == 400 and "differ" in mismatch.text
    accepted = guest.submit(path, path, {"password": PASSWORD, "confirm": PASSWORD})
    assert accepted.status_code == 303 and accepted.headers["location"] == "/interviews"
    assert guest.get("/interviews").status_code == 200  # logged in, with the interviewer role
    assert guest.get(path).status_code == 410  # used once
    states = browser.get("/admin/invites").text
    assert invited in states and ">accepted<" in states


def test_invite_pages_are_for_admins_and_unknown_links_are_404(browser: Browser) -> None:
    assert browser.get("/admin/invites").status_code in (303, 401)  # not logged in
    browser.sign_up()
    assert browser.get("/admin/invites").status_code == 403
    assert browser.get(f"/invite/{'x' * 43}").status_code == 404
