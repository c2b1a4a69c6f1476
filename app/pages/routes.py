"""The server-rendered pages: home, accounts, and the practice and interview page groups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.accounts import access
from app.accounts import service as accounts
from app.accounts.service import SESSION_COOKIE
from app.core.deps import SessionDep
from app.core.errors import DojoError
from app.core.handlers import error_headers

from . import candidate, followup_pages, interviews, practice, rubric_pages, team_pages
from .deps import Csrf, PageRoute, PageUserOptional, PageUserRequired, safe_next
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
async def login(
    request: Request,
    db: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        user = await access.login(request, db, email, password)
    except DojoError as exc:
        context = {"next": safe_next(next, ""), "email": email, "error": exc.message}
        return render(request, "accounts/login.html", context, status_code=exc.status_code, headers=error_headers(exc))
    default = "/interviews" if user.role != "candidate" else "/questions"
    response = RedirectResponse(safe_next(next, default), 303)
    await run_in_threadpool(accounts.issue_session_cookie, response, user)
    return response


@router.get("/signup")
def signup_form(request: Request, user: PageUserOptional, next: str = "") -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), 303)
    return render(request, "accounts/signup.html", {"next": safe_next(next), "email": ""})


@router.post("/signup", dependencies=[Csrf])
async def signup(
    request: Request,
    db: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    error, status, headers = None, 400, dict[str, str]()
    if "@" not in email or len(email) > 320:
        error = "Enter an email address."
    elif password != confirm:
        error = "The two passwords differ."
    if error is None:
        try:
            user = await access.signup(request, db, email, password)
        except DojoError as exc:
            error = exc.message[:1].upper() + exc.message[1:] + "."
            status, headers = (429, error_headers(exc)) if exc.status_code == 429 else (400, {})
    if error is not None:
        context = {"next": safe_next(next), "email": email, "error": error}
        return render(request, "accounts/signup.html", context, status_code=status, headers=headers)
    response = RedirectResponse(safe_next(next), 303)
    await run_in_threadpool(accounts.issue_session_cookie, response, user)
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


@router.get("/account")
def account(request: Request, user: PageUserRequired) -> Response:
    return render(request, "accounts/account.html", {"account": user})


@router.post("/account/logout-all", dependencies=[Csrf])
def logout_everywhere(db: SessionDep, user: PageUserRequired) -> Response:
    revoked = accounts.revoke_all_tokens(db, user.id)
    response = RedirectResponse("/login", 303)
    accounts.clear_session_cookie(response)
    sessions = f"{revoked} session{'s' if revoked != 1 else ''}"
    set_flash(response, "info", f"You are logged out everywhere ({sessions} ended).")
    return response


router.include_router(practice.router)
router.include_router(interviews.router)
router.include_router(candidate.router)
router.include_router(team_pages.router)
router.include_router(rubric_pages.router)
router.include_router(followup_pages.router)
