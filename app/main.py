"""The FastAPI application factory (`create_app`); OpenAPI docs at /docs."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.accounts.routes import router as accounts_router
from app.core import accesslog, handlers
from app.core.database import Database
from app.core.middleware import BodyGuard
from app.core.passwords import PasswordPool
from app.core.ratelimit import RateLimiter
from app.core.settings import Settings, get_settings
from app.core.websecurity import ApiCsrfGuard, SecurityHeaders
from app.events.bus import bus_url
from app.events.hub import hub_for
from app.events.hub import stop_all as hub_stop_all
from app.health import metrics
from app.health.routes import router as health_router
from app.interviews.followup_routes import router as followups_router
from app.interviews.routes import router as interviews_router
from app.interviews.takehome import sweep_due
from app.pairing.routes import router as pairing_router
from app.questions.routes import admin_router as questions_admin_router
from app.questions.routes import router as questions_router
from app.rubrics.routes import router as rubrics_router
from app.submissions.reaper import Reaper
from app.submissions.routes import router as submissions_router
from app.teams.routes import router as teams_router

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"


def _include_pages(app: FastAPI) -> list[str]:
    """The server-rendered pages and their assets, when that package is present.

    Returns the CSP sources of the pages' inline scripts (the import map's hash).
    """
    sources: list[str] = []
    pages = importlib.util.find_spec("app.pages")
    if pages is not None and importlib.util.find_spec("app.pages.routes") is not None:
        app.include_router(importlib.import_module("app.pages.routes").router)
        deps = importlib.import_module("app.pages.deps")
        app.state.error_page = deps.html_error_page
        sources.append(importlib.import_module("app.pages.templating").import_map_csp_source())
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return sources


def _add_middleware(app: FastAPI, settings: Settings, script_sources: list[str]) -> None:
    # Added innermost first: the proxy headers are read before anything else looks at the
    # client address or scheme, and the security headers wrap every response, refusals included.
    app.add_middleware(BodyGuard, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(ApiCsrfGuard, secret_key=settings.secret_key.get_secret_value())
    app.add_middleware(SecurityHeaders, script_sources=script_sources)
    if settings.trusted_proxies.strip():
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = Database(settings)
    passwords = PasswordPool(settings.password_hash_workers)
    accesslog.install()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The same loop hands in take-homes whose deadline has passed (see takehome.sweep_due).
        reaper = Reaper(database, also=(sweep_due,)) if settings.reaper_enabled else None
        if reaper is not None:
            reaper.start()
        hub_for(bus_url(settings)).start()  # the process's one bus listener, before any stream
        try:
            yield
        finally:
            hub_stop_all()
            if reaper is not None:
                reaper.stop()
            database.dispose()

    app = FastAPI(
        title="TensorDojo",
        version="0.1.0",
        description="Practise PyTorch and JAX problems; code is graded by sandboxed workers.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.metrics = metrics.metrics_registry(database)
    app.state.rate_limiter = RateLimiter(settings)
    app.state.passwords = passwords
    handlers.install(app)
    for router in (
        accounts_router,
        questions_router,
        questions_admin_router,
        submissions_router,
        interviews_router,
        pairing_router,
        followups_router,
        rubrics_router,
        teams_router,
        health_router,
    ):
        app.include_router(router)
    _add_middleware(app, settings, _include_pages(app))
    return app
