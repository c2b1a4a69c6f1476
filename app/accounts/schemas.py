"""Request and response bodies of the accounts API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from .models import Role

# A deliberately loose check: the address is only an identifier here, never mailed. Control
# characters (NUL among them, which PostgreSQL text refuses) are not part of any address.
EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,255}$"


class Credentials(BaseModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=320)
    password: str = Field(min_length=8, max_length=256)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role
    created_at: datetime


class TokenOut(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: UserOut


class NewUser(Credentials):
    role: Role = Role.CANDIDATE


class RoleChange(BaseModel):
    role: Role


class LoggedOut(BaseModel):
    revoked: int  # how many tokens and browser sessions stopped working
