"""Request and response bodies of the teams and invites API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.accounts.models import Role
from app.accounts.schemas import EMAIL_PATTERN, UserOut


class NewTeam(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class TeamOut(BaseModel):
    id: int
    name: str
    created_at: datetime
    members: list[UserOut] = []


class Membership(BaseModel):
    team_id: int | None  # None: the account leaves its team


class NewInvite(BaseModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=320)
    role: Role = Role.INTERVIEWER
    team_id: int | None = None
    valid_days: int = Field(7, ge=1, le=90)


class InviteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role
    team_id: int | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    state: str = ""


class CreatedInvite(InviteOut):
    url: str  # the link to send; shown this once
    token: str


class InviteView(BaseModel):
    """What the link shows to whoever holds it, before accepting."""

    email: str
    role: Role
    team: str | None
    expires_at: datetime
    has_account: bool  # the address has an account already: log in as it to accept


class Acceptance(BaseModel):
    password: str | None = Field(None, min_length=8, max_length=256)  # for a new account
