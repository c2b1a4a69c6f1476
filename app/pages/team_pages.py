"""Team pages: an admin's invites and teams (/admin/invites), and the invite link (/invite/{token})."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts.models import Role
from app.accounts.service import issue_session_cookie
from app.core.database import utcnow
from app.core.deps import SessionDep
from app.core.errors import DojoError, Invalid
from app.core.handlers import error_headers
from app.teams import service as teams
from app.teams.routes import accept, describe_invite, invite_url

from .deps import Csrf, PageAdmin, PageRoute, PageUserOptional
from .templating import render, set_flash

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _admin_page(request: Request, db: SessionDep, status_code: int = 200, **context: object) -> Response:
    data = {"section": "admin", "invites": teams.list_invites(db), "teams": teams.list_teams(db), "now": utcnow(),
            "roles": [Role.INTERVIEWER.value, Role.ADMIN.value], **context}
    return render(request, "admin/invites.html", data, status_code=status_code)


@router.get("/admin/invites")
def invites_page(request: Request, db: SessionDep, _admin: PageAdmin) -> Response:
    return _admin_page(request, db)


@router.post("/admin/invites", dependencies=[Csrf])
def create_invite(
    request: Request,
    db: SessionDep,
    admin: PageAdmin,
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form()] = Role.INTERVIEWER.value,
    team_id: Annotated[str, Form()] = "",
) -> Response:
    try:
        if "@" not in email:
            raise Invalid("enter the email address to invite")
        team = int(team_id) if team_id.strip() else None
        invite, token = teams.create_invite(db, admin, email, Role(role), team, valid_days=7)
    except (DojoError, ValueError) as exc:
        message = exc.message if isinstance(exc, DojoError) else "choose a role and a team from the lists"
        return _admin_page(request, db, 400, error=message, email=email)
    # Rendered, not redirected: the link is shown this once and never stored.
    return _admin_page(request, db, new_link=invite_url(request, token), new_email=invite.email)


@router.post("/admin/invites/{invite_id}/revoke", dependencies=[Csrf])
def revoke_invite(invite_id: int, db: SessionDep, _admin: PageAdmin) -> Response:
    invite = teams.revoke_invite(db, invite_id)
    response = RedirectResponse("/admin/invites", 303)
    set_flash(response, "info", f"The invite for {invite.email} no longer works.")
    return response


@router.post("/admin/teams", dependencies=[Csrf])
def create_team(request: Request, db: SessionDep, _admin: PageAdmin,
                name: Annotated[str, Form(max_length=100)] = "") -> Response:
    try:
        team = teams.create_team(db, name)
    except DojoError as exc:
        return _admin_page(request, db, exc.status_code, error=exc.message)
    response = RedirectResponse("/admin/invites", 303)
    set_flash(response, "success", f"Team {team.name} created: invite its interviewers into it.")
    return response


@router.get("/invite/{token}")
def invite_page(request: Request, db: SessionDep, token: str, user: PageUserOptional) -> Response:
    view = describe_invite(db, token)
    return render(request, "accounts/invite.html", {"invite": view, "token": token})


@router.post("/invite/{token}", dependencies=[Csrf])
async def accept_invite(
    request: Request,
    db: SessionDep,
    token: str,
    user: PageUserOptional,
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    view = describe_invite(db, token)
    error, status, headers = None, 400, dict[str, str]()
    if not view.has_account and (len(password) < 8 or password != confirm):
        error = "The two passwords differ." if password != confirm else "The password needs at least 8 characters."
    if error is None:
        try:
            account = await accept(request, db, token, password or None, user)
        except DojoError as exc:
            error = exc.message[:1].upper() + exc.message[1:] + "."
            status, headers = exc.status_code, error_headers(exc)
    if error is not None:
        context = {"invite": view, "token": token, "error": error}
        return render(request, "accounts/invite.html", context, status_code=status, headers=headers)
    response = RedirectResponse("/interviews", 303)
    issue_session_cookie(response, account)
    set_flash(response, "success", f"Welcome to TensorDojo: you are an {account.role}.")
    return response
