"""Account operations. Functions take the caller's session and never commit."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from app.core.database import settings_of, utcnow
from app.core.errors import Conflict, Invalid, NotFound, Unauthorized
from app.core.security import (
    hash_password,
    new_token,
    same_secret,
    sign_cookie,
    token_digest,
    unsign_cookie,
    verify_password,
)

from .models import AuthToken, Role, User

SESSION_COOKIE = "dojo_session"
# The service identity that DOJO_ADMIN_TOKEN acts as. It has no "@", so no signup or admin API
# call (both require an email address) can ever create or claim it, and no password.
ADMIN_TOKEN_IDENTITY = "service:admin-token"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    db: Session,
    email: str,
    password: str | None,
    role: Role = Role.CANDIDATE,
    *,
    password_hash: str | None = None,
) -> User:
    """`password_hash` instead of `password` when the caller hashed it already (off the loop)."""
    email = normalise_email(email)
    if get_user_by_email(db, email) is not None:
        raise Conflict("an account with this email already exists")
    if password is not None and len(password) < 8:
        raise Invalid("the password needs at least 8 characters")
    user = User(
        email=email,
        password_hash=password_hash or (hash_password(password) if password else None),
        role=role.value,
    )
    db.add(user)
    db.flush()
    return user


def signup(db: Session, email: str, password: str) -> User:
    """A new candidate account. Other roles are granted by an admin."""
    return create_user(db, email, password, Role.CANDIDATE)


def login_candidate(db: Session, email: str) -> tuple[User | None, str | None]:
    """The account an email names and the hash to check (None: no active account with a password)."""
    user = get_user_by_email(db, email)
    return user, user.password_hash if user is not None and user.is_active else None


def authenticate(db: Session, email: str, password: str) -> User:
    """Synchronous login for commands and tests; the routes use `app.accounts.access`."""
    user, hashed = login_candidate(db, email)
    if not verify_password(password, hashed) or user is None:
        raise Unauthorized("wrong email or password")
    return user


def set_role(db: Session, user_id: int, role: Role) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    user.role = role.value
    return user


def issue_token(db: Session, user: User) -> tuple[str, AuthToken]:
    """A new bearer token for `user`; the clear token is returned once and never stored."""
    token = new_token()
    ttl = timedelta(hours=settings_of(db).token_ttl_hours)
    record = AuthToken(digest=token_digest(token), user_id=user.id, expires_at=utcnow() + ttl)
    db.add(record)
    db.flush()
    return token, record


def user_for_token(db: Session, token: str) -> User | None:
    admin_token = settings_of(db).admin_token
    if admin_token is not None and same_secret(token, admin_token.get_secret_value()):
        return _admin_token_user(db)
    row = db.execute(
        select(User, AuthToken)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.digest == token_digest(token))
    ).first()
    if row is None:
        return None
    user, record = row
    if record.revoked_at is not None or record.expires_at <= utcnow() or not user.is_active:
        return None
    return user


def _admin_token_user(db: Session) -> User:
    user = db.scalar(select(User).where(User.email == ADMIN_TOKEN_IDENTITY))
    if user is None:
        user = User(email=ADMIN_TOKEN_IDENTITY, password_hash=None, role=Role.ADMIN.value)
        db.add(user)
        db.flush()
    # The identity is the token's: whatever changed the row, it acts as an active admin.
    user.role, user.is_active, user.password_hash = Role.ADMIN.value, True, None
    return user


def revoke_token(db: Session, token: str) -> None:
    db.execute(
        update(AuthToken)
        .where(AuthToken.digest == token_digest(token), AuthToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all_tokens(db: Session, user_id: int) -> int:
    """Log out everywhere: every bearer token and session cookie of the account stops working."""
    result = db.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _session_of(user: User) -> Session:
    db = object_session(user)
    if db is None:
        raise RuntimeError("the user must be attached to a database session")
    return db


def issue_session_cookie(response: Response, user: User, token: str | None = None) -> None:
    """Log the browser in: a signed, HttpOnly cookie holding `token` (default: a fresh one)."""
    db = _session_of(user)
    settings = settings_of(db)
    if token is None:
        token, _record = issue_token(db, user)
    response.set_cookie(
        SESSION_COOKIE,
        sign_cookie(settings.secret_key.get_secret_value(), token),
        max_age=settings.token_ttl_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=bool(settings.cookie_secure),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def token_from_cookie(db: Session, cookie: str) -> str | None:
    settings = settings_of(db)
    max_age = settings.token_ttl_hours * 3600
    return unsign_cookie(settings.secret_key.get_secret_value(), cookie, max_age)
