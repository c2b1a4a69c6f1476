"""The server-rendered pages: home, accounts, and the practice and interview page groups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import service as accounts
from app.accounts.service import SESSION_COOKIE
from app.core.deps import SessionDep
from app.core.errors import DojoError

from . import interviews, practice
from .deps import Csrf, PageRoute, PageUserOptional, safe_next
from .templating import render, set_flash

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/")
def home(request: Request, user: PageUserOptional) -> Response:
    if user is not None:
        return RedirectResponse("/interviews" if user.role != "candidate" else "/questions", 303)
    return render(request, "home.html")


@router.get("/login")
def login_form(request: Request, user: PageUserOptional, next: str = "") -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), 303)
    return render(request, "accounts/login.html", {"next": safe_next(next, ""), "email": ""})


@router.post("/login", dependencies=[Csrf])
def login(
    request: Request,
    db: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        user = accounts.authenticate(db, email, password)
    except DojoError as exc:
        context = {"next": safe_next(next, ""), "email": email, "error": exc.message}
        return render(request, "accounts/login.html", context, status_code=exc.status_code)
    default = "/interviews" if user.role != "candidate" else "/questions"
    response = RedirectResponse(safe_next(next, default), 303)
    accounts.issue_session_cookie(response, user)
    return response


@router.get("/signup")
def signup_form(request: Request, user: PageUserOptional, next: str = "") -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), 303)
    return render(request, "accounts/signup.html", {"next": safe_next(next), "email": ""})


@router.post("/signup", dependencies=[Csrf])
def signup(
    request: Request,
    db: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    error = None
    if "@" not in email or len(email) > 320:
        error = "Enter an email address."
    elif password != confirm:
        error = "The two passwords differ."
    if error is None:
        try:
            user = accounts.signup(db, email, password)
        except DojoError as exc:
            error = exc.message[:1].upper() + exc.message[1:] + "."
    if error is not None:
        context = {"next": safe_next(next), "email": email, "error": error}
        return render(request, "accounts/signup.html", context, status_code=400)
    response = RedirectResponse(safe_next(next), 303)
    accounts.issue_session_cookie(response, user)
    set_flash(response, "success", "Welcome to TensorDojo. Pick a problem to start.")
    return response


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request, db: SessionDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    token = accounts.token_from_cookie(db, cookie) if cookie else None
    if token:
        accounts.revoke_token(db, token)
    response = RedirectResponse("/", 303)
    accounts.clear_session_cookie(response)
    set_flash(response, "info", "You are logged out.")
    return response


router.include_router(practice.router)
router.include_router(interviews.router)
