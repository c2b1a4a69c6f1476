"""Every error leaves as JSON `{"error": code, "message": ..., "detail": ...}`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .errors import DojoError


async def dojo_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DojoError)
    return JSONResponse(jsonable_encoder(exc.to_json()), status_code=exc.status_code)


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
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
    return JSONResponse(jsonable_encoder(body), status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DojoError, dojo_error)
    app.add_exception_handler(RequestValidationError, validation_error)
