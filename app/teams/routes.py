"""/api/admin/teams and /api/admin/invites (admins), /api/invites/{token} (whoever holds the link)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from app.accounts.deps import AdminUser, CurrentUserOptional
from app.accounts.models import User
from app.accounts.routes import RATE_LIMITED
from app.accounts.schemas import TokenOut, UserOut
from app.accounts.service import issue_session_cookie, issue_token
from app.core.database import utcnow
from app.core.deps import SessionDep
from app.core.passwords import PasswordPool
from app.core.ratelimit import client_address, hit

from . import service
from .models import Invite
from .schemas import Acceptance, CreatedInvite, InviteOut, InviteView, Membership, NewInvite, NewTeam, TeamOut

router = APIRouter(tags=["teams"])
INVITE_PATH = "/invite/{token}"


def invite_out(invite: Invite) -> InviteOut:
    return InviteOut.model_validate(invite).model_copy(update={"state": invite.status_at(utcnow())})


def invite_url(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + INVITE_PATH.format(token=token)


@router.post("/api/admin/teams", status_code=201, response_model=TeamOut)
def create_team(body: NewTeam, db: SessionDep, _admin: AdminUser) -> TeamOut:
    team = service.create_team(db, body.name)
    return TeamOut(id=team.id, name=team.name, created_at=team.created_at)


@router.get("/api/admin/teams", response_model=list[TeamOut])
def list_teams(db: SessionDep, _admin: AdminUser) -> list[TeamOut]:
    return [
        TeamOut(id=t.id, name=t.name, created_at=t.created_at, members=[UserOut.model_validate(u) for u in members])
        for t, members in service.list_teams(db)
    ]


@router.put("/api/admin/users/{user_id}/team", status_code=204)
def set_team(user_id: int, body: Membership, db: SessionDep, _admin: AdminUser) -> Response:
    service.set_team(db, user_id, body.team_id)
    return Response(status_code=204)


@router.post("/api/admin/invites", status_code=201, response_model=CreatedInvite)
def create_invite(body: NewInvite, request: Request, db: SessionDep, admin: AdminUser) -> CreatedInvite:
    invite, token = service.create_invite(db, admin, body.email, body.role, body.team_id, body.valid_days)
    return CreatedInvite(**invite_out(invite).model_dump(), url=invite_url(request, token), token=token)


@router.get("/api/admin/invites", response_model=list[InviteOut])
def list_invites(db: SessionDep, _admin: AdminUser) -> list[InviteOut]:
    return [invite_out(i) for i in service.list_invites(db)]


@router.delete("/api/admin/invites/{invite_id}", response_model=InviteOut)
def revoke_invite(invite_id: int, db: SessionDep, _admin: AdminUser) -> InviteOut:
    return invite_out(service.revoke_invite(db, invite_id))


@router.get("/api/invites/{token}", response_model=InviteView)
def view_invite(token: str, db: SessionDep) -> InviteView:
    return describe_invite(db, token)


def describe_invite(db: SessionDep, token: str) -> InviteView:
    invite = service.open_invite(db, token)
    team = service.get_team(db, invite.team_id) if invite.team_id is not None else None
    return InviteView(email=invite.email, role=invite.role, team=team.name if team else None,
                      expires_at=invite.expires_at, has_account=service.account_for_invite(db, invite) is not None)


async def accept(request: Request, db: SessionDep, token: str, password: str | None, caller: User | None) -> User:
    """Shared by the API and the page: rate limit, hash off the loop (new accounts only), accept."""
    await hit(request, "signup_address", client_address(request))
    view = await run_in_threadpool(describe_invite, db, token)
    password_hash = None
    if not view.has_account and password is not None:
        pool: PasswordPool = request.app.state.passwords
        password_hash = await pool.hash(password)
    return await run_in_threadpool(service.accept_invite, db, token, caller, password_hash)


@router.post("/api/invites/{token}/accept", response_model=TokenOut, responses=RATE_LIMITED)
async def accept_invite(
    token: str, body: Acceptance, request: Request, db: SessionDep, response: Response, caller: CurrentUserOptional
) -> TokenOut:
    user = await accept(request, db, token, body.password, caller)

    def login() -> TokenOut:
        raw, record = issue_token(db, user)
        issue_session_cookie(response, user, raw)
        return TokenOut(token=raw, expires_at=record.expires_at, user=UserOut.model_validate(user))

    return await run_in_threadpool(login)
