"""/api/auth: sign up, log in and out (here or everywhere); /api/admin/users: grant roles."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from app.core.deps import SessionDep

from . import access, service
from .deps import AdminUser, CurrentUser, RequestToken
from .schemas import Credentials, LoggedOut, NewUser, RoleChange, TokenOut, UserOut

router = APIRouter(tags=["accounts"])
RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"description": "too many attempts; Retry-After says when to retry"}
}


def _token_response(db: SessionDep, response: Response, user_id: int) -> TokenOut:
    user = db.get(service.User, user_id)
    assert user is not None
    token, record = service.issue_token(db, user)
    # Browsers get the same token in the cookie, so one login is one token: logging out with
    # either revokes both.
    service.issue_session_cookie(response, user, token)
    return TokenOut(token=token, expires_at=record.expires_at, user=UserOut.model_validate(user))


@router.post("/api/auth/signup", status_code=201, response_model=TokenOut, responses=RATE_LIMITED)
async def signup(body: Credentials, request: Request, db: SessionDep, response: Response) -> TokenOut:
    user = await access.signup(request, db, body.email, body.password)
    return await run_in_threadpool(_token_response, db, response, user.id)


@router.post("/api/auth/login", response_model=TokenOut, responses=RATE_LIMITED)
async def login(body: Credentials, request: Request, db: SessionDep, response: Response) -> TokenOut:
    user = await access.login(request, db, body.email, body.password)
    return await run_in_threadpool(_token_response, db, response, user.id)


@router.post("/api/auth/logout", status_code=204)
def logout(db: SessionDep, response: Response, token: RequestToken) -> Response:
    if token:
        service.revoke_token(db, token)
    service.clear_session_cookie(response)
    response.status_code = 204
    return response


@router.post("/api/auth/logout-all", response_model=LoggedOut)
def logout_everywhere(db: SessionDep, response: Response, user: CurrentUser) -> LoggedOut:
    """Every token and browser session of the account stops working, this one included."""
    revoked = service.revoke_all_tokens(db, user.id)
    service.clear_session_cookie(response)
    return LoggedOut(revoked=revoked)


@router.get("/api/auth/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.post("/api/admin/users", status_code=201, response_model=UserOut)
def create_user(body: NewUser, db: SessionDep, _admin: AdminUser) -> UserOut:
    return UserOut.model_validate(service.create_user(db, body.email, body.password, body.role))


@router.put("/api/admin/users/{user_id}/role", response_model=UserOut)
def change_role(user_id: int, body: RoleChange, db: SessionDep, _admin: AdminUser) -> UserOut:
    return UserOut.model_validate(service.set_role(db, user_id, body.role))
