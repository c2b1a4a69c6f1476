"""Login and signup as the API and the pages run them.

Rate limits are counted first (per client address, and per account for logins), so a refused
attempt costs no argon2 work. The hash runs on the bounded password pool and the database work
on the thread pool: the event loop never waits on either.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.errors import Conflict, Invalid, Unauthorized
from app.core.passwords import PasswordPool
from app.core.ratelimit import client_address, hit

from . import service
from .models import Role, User


def _passwords(request: Request) -> PasswordPool:
    pool: PasswordPool = request.app.state.passwords
    return pool


async def login(request: Request, db: Session, email: str, password: str) -> User:
    await hit(request, "login_address", client_address(request))
    await hit(request, "login_account", service.normalise_email(email))
    user, hashed = await run_in_threadpool(service.login_candidate, db, email)
    if not await _passwords(request).verify(password, hashed) or user is None:
        raise Unauthorized("wrong email or password")
    return user


async def signup(request: Request, db: Session, email: str, password: str) -> User:
    await hit(request, "signup_address", client_address(request))
    if len(password) < 8:
        raise Invalid("the password needs at least 8 characters")
    taken = await run_in_threadpool(service.get_user_by_email, db, email)
    if taken is not None:
        # Checked before hashing so a taken address costs no argon2 work; create_user checks again.
        raise Conflict("an account with this email already exists")
    password_hash = await _passwords(request).hash(password)
    return await run_in_threadpool(
        lambda: service.create_user(db, email, None, Role.CANDIDATE, password_hash=password_hash)
    )
