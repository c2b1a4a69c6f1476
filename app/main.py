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

from app.accounts.routes import router as accounts_router
from app.core import handlers
from app.core.database import Database
from app.core.middleware import BodyGuard
from app.core.settings import Settings, get_settings
from app.health import metrics
from app.health.routes import router as health_router
from app.interviews.routes import router as interviews_router
from app.questions.routes import admin_router as questions_admin_router
from app.questions.routes import router as questions_router
from app.submissions.reaper import Reaper
from app.submissions.routes import router as submissions_router

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"


def _include_pages(app: FastAPI) -> None:
    """The server-rendered pages and their assets, when that package is present."""
    pages = importlib.util.find_spec("app.pages")
    if pages is not None and importlib.util.find_spec("app.pages.routes") is not None:
        app.include_router(importlib.import_module("app.pages.routes").router)
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        reaper = Reaper(database) if settings.reaper_enabled else None
        if reaper is not None:
            reaper.start()
        try:
            yield
        finally:
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
    handlers.install(app)
    app.add_middleware(BodyGuard, max_body_bytes=settings.max_body_bytes)
    for router in (
        accounts_router,
        questions_router,
        questions_admin_router,
        submissions_router,
        interviews_router,
        health_router,
    ):
        app.include_router(router)
    _include_pages(app)
    return app
