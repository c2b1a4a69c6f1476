"""What every page needs: the signed-in user (as plain data), CSRF checks, HTML error pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute

from app.accounts.deps import count_submission, current_user_optional
from app.accounts.models import Role, User
from app.core.errors import DojoError, Forbidden, Unauthorized
from app.core.handlers import error_headers

from .csrf import CSRF_FIELD, verify_csrf
from .templating import render


@dataclass(frozen=True)
class PageUser:
    """A snapshot of the signed-in user that stays readable after the request's session closes."""

    id: int
    email: str
    role: str

    @property
    def is_interviewer(self) -> bool:
        return self.role in (Role.INTERVIEWER.value, Role.ADMIN.value)


def load_page_user(request: Request, user: Annotated[User | None, Depends(current_user_optional)]) -> User | None:
    request.state.page_user = PageUser(id=user.id, email=user.email, role=user.role) if user is not None else None
    return user


def require_page_user(user: Annotated[User | None, Depends(load_page_user)]) -> User:
    if user is None:
        raise Unauthorized("log in to continue")
    return user


def page_submission_quota(request: Request, user: Annotated[User, Depends(require_page_user)]) -> None:
    count_submission(request, user)


def require_page_interviewer(user: Annotated[User, Depends(require_page_user)]) -> User:
    if not user.has_role(Role.INTERVIEWER):
        raise Forbidden("this page is for interviewers")
    return user


def require_page_admin(user: Annotated[User, Depends(require_page_user)]) -> User:
    if not user.has_role(Role.ADMIN):
        raise Forbidden("this page is for administrators")
    return user


async def check_csrf(request: Request) -> None:
    """For every state-changing page request: a form field or header token must match."""
    submitted = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    verify_csrf(request, submitted)


PageUserOptional = Annotated[User | None, Depends(load_page_user)]
PageUserRequired = Annotated[User, Depends(require_page_user)]
PageInterviewer = Annotated[User, Depends(require_page_interviewer)]
PageAdmin = Annotated[User, Depends(require_page_admin)]
Csrf = Depends(check_csrf)
SubmissionQuota = Depends(page_submission_quota)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def safe_next(target: str | None, default: str = "/questions") -> str:
    """Only same-site paths: '/x' but never '//host' or 'https://host'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


ERROR_TITLES = {
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    410: "Gone",
    413: "Too large",
    429: "Too many requests",
    500: "Something went wrong",
}


def html_error_page(request: Request, status_code: int, message: str, headers: dict[str, str]) -> Response:
    """An error as a page in the app's layout, with a way back (registered for app-wide errors)."""
    context = {"title": ERROR_TITLES.get(status_code, "Something went wrong"), "message": message}
    if status_code >= 500:
        # The request's own state may be what failed: render without the signed-in user.
        request.state.page_user = None
    return render(request, "error.html", context, status_code=status_code, headers=headers or None)


def error_page(request: Request, exc: DojoError) -> Response:
    if wants_json(request):
        return JSONResponse(exc.to_json(), status_code=exc.status_code, headers=error_headers(exc))
    if isinstance(exc, Unauthorized) and request.method == "GET":
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
    return html_error_page(request, exc.status_code, exc.message, error_headers(exc))


class PageRoute(APIRoute):
    """Routes whose domain errors become HTML pages (or a login redirect) instead of JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except DojoError as exc:
                return error_page(request, exc)

        return handler
