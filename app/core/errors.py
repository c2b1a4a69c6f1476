"""One error base class; each subclass carries its HTTP status and a stable machine code."""

from __future__ import annotations

from typing import Any


class DojoError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.detail:
            body["detail"] = self.detail
        return body


class BadRequest(DojoError):
    pass


class Unauthorized(DojoError):
    status_code = 401
    code = "unauthorized"


class Forbidden(DojoError):
    status_code = 403
    code = "forbidden"


class NotFound(DojoError):
    status_code = 404
    code = "not_found"


class Conflict(DojoError):
    status_code = 409
    code = "conflict"


class Gone(DojoError):
    status_code = 410
    code = "gone"


class PayloadTooLarge(DojoError):
    status_code = 413
    code = "payload_too_large"


class Invalid(DojoError):
    status_code = 422
    code = "invalid"


class TooManyRequests(DojoError):
    status_code = 429
    code = "too_many_requests"


class ServiceUnavailable(DojoError):
    status_code = 503
    code = "service_unavailable"
