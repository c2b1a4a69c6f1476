"""Browser-facing defences applied to every response: CSRF for the JSON API, security headers,
and Secure cookies whenever the request came over https.

Both are plain ASGI middleware so they also cover streaming responses and the static files.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .security import csrf_signature

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Authenticated by the credentials in their body, never by the cookie they may carry.
CREDENTIAL_PATHS = {"/api/auth/login", "/api/auth/signup"}
SESSION_COOKIE = "dojo_session"
CSRF_COOKIE = "dojo_csrf"
CSRF_HEADER = "x-csrf-token"
# Swagger UI and ReDoc load their bundles from a CDN and start with an inline script; those two
# pages show no user data, so they get a policy of their own instead of weakening the app's.
DOCS_PATHS = ("/docs", "/redoc")
DOCS_CDN = "https://cdn.jsdelivr.net"


def own_origin(scope: Scope, headers: Headers) -> str:
    """The origin a page of this app has, as the browser sees it (scheme after trusted proxies)."""
    return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()


def _bearer(headers: Headers) -> bool:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(value.strip())


class ApiCsrfGuard:
    """Unsafe /api requests that a browser could forge must come from the app's own pages.

    A request that presents a bearer token is not forgeable (a cross-site page cannot attach
    the header), so it passes. Otherwise the browser's own word is asked first: `Origin`, then
    `Sec-Fetch-Site`; a client that sends neither but carries the session cookie must prove
    itself with the pages' CSRF header.
    """

    def __init__(self, app: ASGIApp, secret_key: str) -> None:
        self.app = app
        self.secret_key = secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS and scope["path"].startswith("/api/"):
            problem = self.problem(scope, Headers(scope=scope))
            if problem is not None:
                await _json_response(send, 403, "csrf_failed", problem)
                return
        await self.app(scope, receive, send)

    def problem(self, scope: Scope, headers: Headers) -> str | None:
        if _bearer(headers):
            return None
        origin = headers.get("origin")
        if origin is not None:
            if origin.lower() == own_origin(scope, headers):
                return None
            return "cross-site request refused: send Authorization: Bearer, or call from the app's own pages"
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None:
            return None if fetch_site in ("same-origin", "none") else "cross-site request refused"
        cookies = cookie_parser(headers.get("cookie", ""))
        if SESSION_COOKIE not in cookies or scope["path"] in CREDENTIAL_PATHS:
            return None  # nothing a forger could borrow
        seed = cookies.get(CSRF_COOKIE, "")
        given = headers.get(CSRF_HEADER, "")
        if seed and given and hmac.compare_digest(given, csrf_signature(self.secret_key, seed)):
            return None
        return "a request authenticated by the session cookie needs the X-CSRF-Token header, or use a bearer token"


def content_security_policy(nonce: str, script_sources: Iterable[str] = ()) -> str:
    scripts = " ".join(["'self'", *script_sources])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            # Stylesheets from the app, plus the <style> element the code editor builds at run
            # time, which carries this response's nonce. Style attributes stay allowed (bar
            # widths, the math renderer's spacing): they cannot run code.
            f"style-src 'self' 'nonce-{nonce}'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {DOCS_CDN}; style-src 'self' 'unsafe-inline' {DOCS_CDN}; "
    "img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'; object-src 'none'; base-uri 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """CSP with frame-ancestors, nosniff, Referrer-Policy, X-Frame-Options for old browsers,
    and over https: HSTS and the Secure flag on every cookie set."""

    def __init__(self, app: ASGIApp, script_sources: Iterable[str] = ()) -> None:
        self.app = app
        self.script_sources = tuple(script_sources)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        docs = scope["path"] in DOCS_PATHS
        # A fresh nonce per response; pages read it as request.state.csp_nonce.
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        policy = DOCS_POLICY if docs else content_security_policy(nonce, self.script_sources)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", policy)
                headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "strict-origin-when-cross-origin")
                if https:
                    headers.setdefault("strict-transport-security", HSTS)
                    _secure_cookies(headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure_cookies(headers: MutableHeaders) -> None:
    cookies = headers.getlist("set-cookie")
    if not cookies:
        return
    del headers["set-cookie"]
    for cookie in cookies:
        secure = any(part.strip().lower() == "secure" for part in cookie.split(";"))
        headers.append("set-cookie", cookie if secure else f"{cookie}; Secure")


async def _json_response(send: Send, status: int, code: str, message: str) -> None:
    payload = json.dumps({"error": code, "message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
