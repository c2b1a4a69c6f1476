"""/api/auth: sign up, log in and out; /api/admin/users: grant roles."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.core.deps import SessionDep

from . import service
from .deps import AdminUser, CurrentUser, RequestToken
from .schemas import Credentials, NewUser, RoleChange, TokenOut, UserOut

router = APIRouter(tags=["accounts"])


def _token_response(db: SessionDep, response: Response, user_id: int) -> TokenOut:
    user = db.get(service.User, user_id)
    assert user is not None
    token, record = service.issue_token(db, user)
    # Browsers get the cookie as well, so the same call serves the pages and API clients.
    service.issue_session_cookie(response, user)
    return TokenOut(token=token, expires_at=record.expires_at, user=UserOut.model_validate(user))


@router.post("/api/auth/signup", status_code=201, response_model=TokenOut)
def signup(body: Credentials, db: SessionDep, response: Response) -> TokenOut:
    user = service.signup(db, body.email, body.password)
    return _token_response(db, response, user.id)


@router.post("/api/auth/login", response_model=TokenOut)
def login(body: Credentials, db: SessionDep, response: Response) -> TokenOut:
    user = service.authenticate(db, body.email, body.password)
    return _token_response(db, response, user.id)


@router.post("/api/auth/logout", status_code=204)
def logout(db: SessionDep, response: Response, token: RequestToken) -> Response:
    if token:
        service.revoke_token(db, token)
    service.clear_session_cookie(response)
    response.status_code = 204
    return response


@router.get("/api/auth/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.post("/api/admin/users", status_code=201, response_model=UserOut)
def create_user(body: NewUser, db: SessionDep, _admin: AdminUser) -> UserOut:
    return UserOut.model_validate(service.create_user(db, body.email, body.password, body.role))


@router.put("/api/admin/users/{user_id}/role", response_model=UserOut)
def change_role(user_id: int, body: RoleChange, db: SessionDep, _admin: AdminUser) -> UserOut:
    return UserOut.model_validate(service.set_role(db, user_id, body.role))
