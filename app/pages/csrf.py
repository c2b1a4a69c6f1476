"""CSRF protection for the server-rendered forms and the pages' own fetch calls.

A signed double-submit token: the browser holds a random value in an HttpOnly cookie, and every
form (and fetch from our scripts, as the `X-CSRF-Token` header) carries an HMAC of that value.
A cross-site page can make the browser send the cookie but can neither read it nor compute the
HMAC without the server's key. On top of that a cross-origin `Origin` header is refused, which
stops a forged request even where a token could leak.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request, Response

from app.core.errors import Forbidden
from app.core.security import csrf_signature

CSRF_COOKIE = "dojo_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_STATE_KEY = "csrf_seed"


class CsrfError(Forbidden):
    code = "csrf_failed"


def _sign(request: Request, seed: str) -> str:
    return csrf_signature(request.app.state.settings.secret_key.get_secret_value(), seed)


def _seed(request: Request) -> str:
    """The browser's random seed; a new one is made (and set as a cookie) on first use."""
    seed = getattr(request.state, _STATE_KEY, None)
    if seed:
        return str(seed)
    seed = request.cookies.get(CSRF_COOKIE) or ""
    if len(seed) < 20 or len(seed) > 100:
        seed = secrets.token_urlsafe(24)
        request.state.csrf_new_seed = seed
    setattr(request.state, _STATE_KEY, seed)
    return seed


def csrf_token(request: Request) -> str:
    """The token to embed in a form or meta tag of the page being rendered."""
    return _sign(request, _seed(request))


def attach_csrf_cookie(request: Request, response: Response) -> None:
    """Persist a freshly made seed; called on every page response."""
    seed = getattr(request.state, "csrf_new_seed", None)
    if seed:
        response.set_cookie(
            CSRF_COOKIE,
            seed,
            max_age=60 * 60 * 24 * 30,
            httponly=True,
            samesite="lax",
            secure=bool(request.app.state.settings.cookie_secure),
            path="/",
        )


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        # Browsers send Origin on cross-site POSTs; its absence means a same-origin form or
        # a non-browser client. "null" comes from sandboxed frames and file: pages.
        return origin is None
    # Behind a proxy that rewrites Host, the browser's host arrives as X-Forwarded-Host.
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")}
    return urlsplit(origin).netloc in hosts - {""}


def verify_csrf(request: Request, submitted: str | None) -> None:
    """Raise CsrfError unless `submitted` (form field or header) matches the cookie's seed."""
    seed = request.cookies.get(CSRF_COOKIE)
    given = submitted or request.headers.get(CSRF_HEADER) or ""
    if not seed or not given or not _same_origin(request):
        raise CsrfError("the form expired or came from another site: reload the page and retry")
    if not hmac.compare_digest(given, _sign(request, seed)):
        raise CsrfError("the form expired or came from another site: reload the page and retry")
