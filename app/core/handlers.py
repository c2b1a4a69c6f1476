"""Errors leave as JSON `{"error": code, "message": ..., "detail": ...}` for the API and for
scripts, and as an HTML page in the app's layout for a browser navigating to a page.

The HTML renderer is registered by the pages package (`app.state.error_page`), so the API
works without it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .errors import DojoError

log = logging.getLogger(__name__)
# (request, status, message, headers) -> an HTML response
ErrorPage = Callable[[Request, int, str, dict[str, str]], Response]
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}
# Numbers past what the database stores (SQLite: 64 bits, raising OverflowError when bound;
# PostgreSQL: the column's integer type, raising "numeric value out of range") come from the
# request: as a path id they name nothing (404); elsewhere (a query parameter) they are invalid.
_LONG_NUMBER_IN_PATH = re.compile(r"/-?\d{10,}(/|$)")
NUMERIC_OUT_OF_RANGE = "22003"  # the SQLSTATE PostgreSQL reports


def wants_html(request: Request) -> bool:
    """A browser navigating to a page, not a script or an API client."""
    if request.url.path.startswith(("/api/", "/static/")):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


def error_headers(exc: DojoError) -> dict[str, str]:
    retry_after = exc.detail.get("retry_after_s")
    return {"Retry-After": str(retry_after)} if retry_after is not None else {}


def respond(request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    page: ErrorPage | None = getattr(request.app.state, "error_page", None)
    if page is not None and wants_html(request):
        return page(request, status, str(body.get("message", "")), headers or {})
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=headers)


async def dojo_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DojoError)
    return respond(request, exc.status_code, exc.to_json(), error_headers(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    message = "no such page" if exc.status_code == 404 else str(exc.detail)
    return respond(request, exc.status_code, {"error": code, "message": message}, dict(exc.headers or {}))


async def out_of_range(request: Request, exc: Exception) -> Response:
    """Input the database cannot hold: numbers past its integer range, text with NUL characters."""
    if isinstance(exc, DataError) and "NUL (0x00)" in str(exc.orig):
        # PostgreSQL text cannot hold U+0000 (SQLite can): refused the same way wherever it is.
        return respond(request, 422, {"error": "invalid", "message": "text may not contain NUL characters"})
    if isinstance(exc, DataError) and getattr(exc.orig, "sqlstate", None) != NUMERIC_OUT_OF_RANGE:
        return await server_error(request, exc)
    if _LONG_NUMBER_IN_PATH.search(request.url.path):
        return respond(request, 404, {"error": "not_found", "message": "no such item"})
    return respond(request, 422, {"error": "invalid", "message": "a number in the request is out of range"})


async def server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = {"error": "internal", "message": "something went wrong on our side; it has been logged"}
    return respond(request, 500, body)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors: list[dict[str, Any]] = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        first = next(e for e in errors if e.get("type") == "json_invalid")
        reason = (first.get("ctx") or {}).get("error", "invalid JSON")
        position = first["loc"][-1] if first.get("loc") else "?"
        message = f"the body is not valid JSON: {reason} at {position}"
        return JSONResponse({"error": "malformed_json", "message": message}, status_code=400)
    problems = [f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body')}: {e.get('msg')}" for e in errors]
    body: dict[str, Any] = {
        "error": "invalid",
        "message": "; ".join(problems) or "invalid request",
        "detail": [{k: e.get(k) for k in ("loc", "msg", "type")} for e in errors],
    }
    return respond(request, 422, body)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DojoError, dojo_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(DataError, out_of_range)
    app.add_exception_handler(Exception, server_error)
