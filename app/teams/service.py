"""Teams and invitations. Functions take the caller's session and never commit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts.models import ROLE_RANK, Role, User
from app.accounts.service import create_user, get_user_by_email, normalise_email
from app.core.database import utcnow
from app.core.errors import Conflict, Gone, Invalid, NotFound
from app.core.security import new_token, token_digest

from .models import Invite, Team, TeamMembership

INVITABLE = (Role.INTERVIEWER, Role.ADMIN)


# -- teams ----------------------------------------------------------------------------------


def create_team(db: Session, name: str) -> Team:
    name = name.strip()
    if not name:
        raise Invalid("a team needs a name")
    if db.scalar(select(Team).where(Team.name == name)) is not None:
        raise Conflict("a team with this name already exists")
    team = Team(name=name)
    db.add(team)
    db.flush()
    return team


def get_team(db: Session, team_id: int) -> Team:
    team = db.get(Team, team_id)
    if team is None:
        raise NotFound("no such team")
    return team


def list_teams(db: Session) -> list[tuple[Team, list[User]]]:
    teams = list(db.scalars(select(Team).order_by(Team.name)))
    rows = db.execute(select(TeamMembership.team_id, User).join(User, User.id == TeamMembership.user_id)).all()
    members: dict[int, list[User]] = {}
    for team_id, user in rows:
        members.setdefault(team_id, []).append(user)
    return [(team, sorted(members.get(team.id, []), key=lambda u: u.email)) for team in teams]


def set_team(db: Session, user_id: int, team_id: int | None) -> None:
    """Put the account in `team_id` (one team per account), or in none."""
    if db.get(User, user_id) is None:
        raise NotFound("no such user")
    membership = db.get(TeamMembership, user_id)
    if team_id is None:
        if membership is not None:
            db.delete(membership)
        return
    get_team(db, team_id)
    if membership is None:
        db.add(TeamMembership(user_id=user_id, team_id=team_id))
    else:
        membership.team_id = team_id
    db.flush()


def team_of(db: Session, user_id: int) -> Team | None:
    membership = db.get(TeamMembership, user_id)
    return db.get(Team, membership.team_id) if membership is not None else None


def teammate_ids(db: Session, user: User) -> set[int]:
    """The accounts whose interview sessions `user` shares: their team's members, and themself."""
    team_id = db.scalar(select(TeamMembership.team_id).where(TeamMembership.user_id == user.id))
    if team_id is None:
        return {user.id}
    return set(db.scalars(select(TeamMembership.user_id).where(TeamMembership.team_id == team_id))) | {user.id}


# -- invites --------------------------------------------------------------------------------


def create_invite(
    db: Session, admin: User, email: str, role: Role, team_id: int | None, valid_days: int
) -> tuple[Invite, str]:
    """A new invite and its link token (returned once; only its digest is stored)."""
    if role not in INVITABLE:
        raise Invalid("invite interviewers or admins; candidates sign up themselves")
    if team_id is not None:
        get_team(db, team_id)
    token = new_token()
    invite = Invite(
        token_digest=token_digest(token),
        email=normalise_email(email),
        role=role.value,
        team_id=team_id,
        created_by=admin.id,
        expires_at=utcnow() + timedelta(days=valid_days),
    )
    db.add(invite)
    db.flush()
    return invite, token


def list_invites(db: Session) -> list[Invite]:
    return list(db.scalars(select(Invite).order_by(Invite.created_at.desc(), Invite.id.desc()).limit(500)))


def revoke_invite(db: Session, invite_id: int) -> Invite:
    invite = db.get(Invite, invite_id)
    if invite is None:
        raise NotFound("no such invite")
    if invite.accepted_at is None and invite.revoked_at is None:
        invite.revoked_at = utcnow()
    return invite


def open_invite(db: Session, token: str) -> Invite:
    """The invite a link names, while it can still be accepted: 404 unknown, 410 used or expired."""
    invite = db.scalar(select(Invite).where(Invite.token_digest == token_digest(token)))
    if invite is None:
        raise NotFound("no such invite: check the link, or ask for a new one")
    state = invite.status_at(utcnow())
    if state != "open":
        raise Gone(f"this invite is {state}: ask an administrator for a new one")
    return invite


def account_for_invite(db: Session, invite: Invite) -> User | None:
    return get_user_by_email(db, invite.email)


def accept_invite(db: Session, token: str, caller: User | None, password_hash: str | None) -> User:
    """Use the invite once: a new account with the invite's role, or, for the address's own
    logged-in account, its role raised (never lowered). Either joins the invite's team."""
    invite = open_invite(db, token)
    user = account_for_invite(db, invite)
    if user is None:
        if password_hash is None:
            raise Invalid("choose a password of at least 8 characters")
        user = create_user(db, invite.email, None, Role(invite.role), password_hash=password_hash)
    elif caller is None or caller.id != user.id:
        raise Conflict(f"an account for {invite.email} exists: log in as it, then open the link again")
    elif ROLE_RANK[Role(invite.role)] > ROLE_RANK[Role(user.role)]:
        user.role = invite.role
    # Conditional, so two tabs accepting at once use the invite once.
    used = db.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.accepted_at.is_(None), Invite.revoked_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by=user.id)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise Gone("this invite was just used")
    if invite.team_id is not None:
        set_team(db, user.id, invite.team_id)
    return user
