"""The Jinja2 environment of the pages: filters, globals and the `render` helper."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from .csrf import CSRF_FIELD, attach_csrf_cookie, csrf_token
from .markdown import render_markdown

APP_DIR = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = APP_DIR / "templates"
STATIC_DIR = APP_DIR / "static"

STATUS_LABELS = {
    "accepted": "Accepted",
    "wrong_answer": "Wrong answer",
    "runtime_error": "Runtime error",
    "time_limit_exceeded": "Time limit exceeded",
    "memory_limit_exceeded": "Memory limit exceeded",
    "compile_error": "Compile error",
    "output_limit_exceeded": "Output limit exceeded",
    "rejected": "Rejected",
    "internal_error": "Grader error",
    "queued": "Queued",
    "running": "Running",
    "pending": "Pending",
}
FRAMEWORK_LABELS = {"torch": "PyTorch", "jax": "JAX"}
NONE = "\u2013"  # an en dash stands for a missing number
TIMES = "\u00d7"


def status_label(status: str | None) -> str:
    if not status:
        return "Not graded"
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def framework_label(framework: str | None) -> str:
    return FRAMEWORK_LABELS.get(framework or "", framework or "")


def fmt_ms(value: float | None) -> str:
    """A duration in the unit that reads best: 0.0421 ms -> 42.1 µs, 1234 ms -> 1.23 s."""
    if value is None:
        return NONE
    if value < 1:
        return f"{value * 1000:.3g} µs"
    if value < 1000:
        return f"{value:.3g} ms"
    return f"{value / 1000:.3g} s"


def fmt_ratio(value: float | None) -> str:
    if value is None:
        return NONE
    return f"{value:.2f}{TIMES}" if value < 100 else f"{value:.0f}{TIMES}"


def fmt_when(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def hm(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%H:%M UTC") if value is not None else ""


def strip_title(markdown: str, title: str) -> str:
    """Drop a leading `# Title` heading that repeats the page's own title."""
    first, _, rest = (markdown or "").lstrip().partition("\n")
    if first.startswith("# ") and first[2:].strip().lower() == title.strip().lower():
        return rest.lstrip("\n")
    return markdown


def iso(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat() if value is not None else ""


def ago(value: datetime | None) -> str:
    if value is None:
        return ""
    seconds = (datetime.now(UTC) - value.astimezone(UTC)).total_seconds()
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return ""


def clock(seconds: float | None) -> str:
    """Seconds as m:ss (or h:mm:ss), for session offsets in a timeline."""
    if seconds is None:
        return ""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def to_json_attr(value: Any) -> str:
    """JSON for a data-* attribute (Jinja escapes the quotes)."""
    return json.dumps(value, separators=(",", ":"), default=str)


@lru_cache(maxsize=256)
def _asset_digest(path: str) -> str:
    try:
        return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def static_url(path: str) -> str:
    """A cache-busting URL for a file under app/static (the digest changes with the file)."""
    return f"/static/{path}?v={_asset_digest(path)}"


VENDOR_MODULES = {
    "dojo/vendor/codemirror": "vendor/codemirror.min.js",
    "dojo/vendor/collab": "vendor/collab.min.js",
    "dojo/vendor/uplot": "vendor/uplot.min.js",
    "dojo/vendor/math": "vendor/math.min.js",
}


@lru_cache(maxsize=1)
def import_map() -> Markup:
    """Bare module names for the page scripts, each pointing at a cache-busted URL."""
    imports = {name: static_url(path) for name, path in VENDOR_MODULES.items()}
    for path in sorted((STATIC_DIR / "js").glob("*.js")):
        imports[f"dojo/{path.name}"] = static_url(f"js/{path.name}")
    body = json.dumps({"imports": imports}, indent=1).replace("</", "<\\/")
    return Markup(f'<script type="importmap">{body}</script>')


def import_map_csp_source() -> str:
    """The import map is the pages' one inline script: the CSP allows it by its hash."""
    body = str(import_map()).removeprefix('<script type="importmap">').removesuffix("</script>")
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def _csrf_input(request: Request) -> Markup:
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{csrf_token(request)}">')


templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
env = templates.env
env.trim_blocks = True
env.lstrip_blocks = True
env.filters.update(
    markdown=render_markdown,
    status_label=status_label,
    framework_label=framework_label,
    ms=fmt_ms,
    ratio=fmt_ratio,
    when=fmt_when,
    iso=iso,
    hm=hm,
    strip_title=strip_title,
    ago=ago,
    clock=clock,
    tojson_attr=to_json_attr,
)
env.globals.update(static_url=static_url, import_map=import_map, STATUS_LABELS=STATUS_LABELS)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    ctx: dict[str, Any] = {
        "request": request,
        "csrf_token": csrf_token(request),
        "csrf_input": _csrf_input(request),
        "csp_nonce": getattr(request.state, "csp_nonce", ""),
        "user": getattr(request.state, "page_user", None),
        "flash": _pop_flash(request),
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code, headers=headers)
    attach_csrf_cookie(request, response)
    if getattr(request.state, "clear_flash", False):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


# One-shot messages across a redirect ("Signed in", "Session created"), kept in a short cookie.
FLASH_COOKIE = "dojo_flash"
FLASH_KINDS = {"info", "success", "error"}


def set_flash(response: Any, kind: str, message: str) -> None:
    data = {"kind": kind if kind in FLASH_KINDS else "info", "message": message[:300]}
    value = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    response.set_cookie(FLASH_COOKIE, value, max_age=60, httponly=True, samesite="lax", path="/")


def _pop_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    request.state.clear_flash = True
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()))
        return {"kind": str(data["kind"]), "message": str(data["message"])}
    except (ValueError, KeyError, TypeError):
        return None
