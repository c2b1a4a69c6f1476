"""Who is calling: a bearer token or the browser's session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.core.deps import SessionDep
from app.core.errors import Forbidden, Unauthorized
from app.core.ratelimit import limiter_of

from .models import Role, User
from .service import SESSION_COOKIE, token_from_cookie, user_for_token


def request_token(request: Request, db: SessionDep) -> str | None:
    """The raw token: from `Authorization: Bearer` first, else from the signed cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    cookie = request.cookies.get(SESSION_COOKIE)
    return token_from_cookie(db, cookie) if cookie else None


def current_user_optional(db: SessionDep, token: Annotated[str | None, Depends(request_token)]) -> User | None:
    return user_for_token(db, token) if token else None


def current_user(user: Annotated[User | None, Depends(current_user_optional)]) -> User:
    if user is None:
        raise Unauthorized("log in, or send Authorization: Bearer <token>")
    return user


def authenticate(request: Request, db: Session, role: Role | None = None) -> User:
    """The caller, for an endpoint that opens its own session.

    Event streams do: each dependency with a session runs in its own worker-thread hop, and a
    session that has read something holds its connection while the request waits for the
    next hop, so hundreds of streams opening at once would drain the pool. One `with` in the
    endpoint's body reads and gives the connection back in a single hop."""
    user = current_user(current_user_optional(db, request_token(request, db)))
    if role is not None and not user.has_role(role):
        raise Forbidden(f"this needs the {role.value} role")
    return user


def _require(role: Role):
    def check(user: Annotated[User, Depends(current_user)]) -> User:
        if not user.has_role(role):
            raise Forbidden(f"this needs the {role.value} role")
        return user

    check.__name__ = f"require_{role.value}"
    return check


def count_submission(request: Request, user: User) -> None:
    """The hourly quota of runs and submits per account (DOJO_RATE_SUBMISSIONS_PER_HOUR)."""
    limiter_of(request).hit("submissions", f"user:{user.id}")


def submitting_user(request: Request, user: Annotated[User, Depends(current_user)]) -> User:
    count_submission(request, user)
    return user


require_interviewer = _require(Role.INTERVIEWER)
require_admin = _require(Role.ADMIN)

CurrentUserOptional = Annotated[User | None, Depends(current_user_optional)]
CurrentUser = Annotated[User, Depends(current_user)]
InterviewerUser = Annotated[User, Depends(require_interviewer)]
AdminUser = Annotated[User, Depends(require_admin)]
SubmittingUser = Annotated[User, Depends(submitting_user)]
RequestToken = Annotated[str | None, Depends(request_token)]
