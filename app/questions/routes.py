"""/api/questions (public) and /api/admin/questions (admin: create, update, retire)."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from app.accounts.deps import AdminUser
from app.core.cache import TTLCache
from app.core.database import Database, after_commit, settings_of
from app.core.deps import DatabaseDep, SessionDep
from workers.celery_app import send_check

from . import service
from .models import QuestionState, QuestionVersion
from .schemas import QuestionDetail, QuestionFiles, QuestionSummary, QuestionVersionOut

router = APIRouter(tags=["questions"])
admin_router = APIRouter(tags=["admin"])
MAX_WAIT_S = 300.0


# The list is the busiest read and changes rarely; a second of staleness is invisible next to
# publishing, which waits for a worker anyway. Entries are per filter combination.
_list_cache = TTLCache(ttl_s=1.0, max_entries=256)


def _list_uncached(database: Database, filters: service.Filters) -> list[dict[str, Any]]:
    with database.session() as db:
        return service.list_current(db, filters)


@router.get("/api/questions", response_model=list[QuestionSummary])
async def list_questions(
    database: DatabaseDep,
    kind: Literal["coding", "concept"] | None = None,
    framework: Literal["torch", "jax"] | None = None,
    difficulty: Literal["easy", "medium", "hard"] | None = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
) -> list[dict[str, Any]]:
    filters = {"kind": kind, "framework": framework, "difficulty": difficulty, "tag": tag}
    key = (id(database), tuple(filters.values()))
    cached: list[dict[str, Any]] | None = _list_cache.get(key)
    if cached is None:
        # One hop to a thread for the whole query instead of one per dependency.
        cached = await anyio.to_thread.run_sync(_list_uncached, database, filters)
        _list_cache.put(key, cached)
    return cached


@router.get("/api/questions/{slug}", response_model=QuestionDetail)
def get_question(slug: str, db: SessionDep) -> dict[str, Any]:
    return service.public_view(service.get_current(db, slug))


def version_out(row: QuestionVersion) -> QuestionVersionOut:
    return QuestionVersionOut(
        slug=row.slug,
        version=row.version,
        state=row.state,
        is_current=row.is_current,
        source=row.source,
        hardware=row.hardware,
        check_failures=row.check_failures,
        created_at=row.created_at,
        published_at=row.published_at,
        retired_at=row.retired_at,
    )


def _propose_and_wait(
    database: Database, slug: str, body: QuestionFiles, admin_id: int, creating: bool, wait_s: float
) -> JSONResponse:
    with database.session() as db:
        row = service.propose(db, slug, body.files, creating=creating, created_by=admin_id)
        version_id, queue, version = row.id, row.hardware, row.version
        after_commit(db, lambda: send_check(settings_of(db), version_id, queue))
    # The check runs on a worker; poll the row (fresh sessions) for up to `wait_s` seconds.
    deadline = time.monotonic() + min(wait_s, MAX_WAIT_S)
    while True:
        with database.session() as db:
            out = version_out(service.get_version(db, slug, version))
        if out.state != QuestionState.PENDING or time.monotonic() >= deadline:
            break
        time.sleep(0.25)
    status = {"published": 201, "rejected": 422}.get(out.state, 202)
    _list_cache.clear()  # this process shows its own admin's change at once
    body_out = out.model_dump(mode="json")
    if out.state == QuestionState.REJECTED:
        body_out |= {"error": "check_failed", "message": "the question failed its checks"}
    return JSONResponse(body_out, status_code=status)


_WAIT_HELP = "seconds to wait for the worker's check (0: answer 202 at once)"


@admin_router.post("/api/admin/questions/{slug}", status_code=202)
def create_question(
    slug: str,
    body: QuestionFiles,
    database: DatabaseDep,
    admin: AdminUser,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S, description=_WAIT_HELP)] = 0,
) -> JSONResponse:
    """Add a question; it is published once a worker grades its references and solutions."""
    return _propose_and_wait(database, slug, body, admin.id, True, wait)


@admin_router.put("/api/admin/questions/{slug}", status_code=202)
def update_question(
    slug: str,
    body: QuestionFiles,
    database: DatabaseDep,
    admin: AdminUser,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S, description=_WAIT_HELP)] = 0,
) -> JSONResponse:
    """A new version; the current one stays until the new one passes its checks."""
    return _propose_and_wait(database, slug, body, admin.id, False, wait)


@admin_router.delete("/api/admin/questions/{slug}", status_code=204)
def retire_question(slug: str, db: SessionDep, _admin: AdminUser) -> None:
    service.retire(db, slug)
    _list_cache.clear()


@admin_router.get("/api/admin/questions/{slug}/versions", response_model=list[QuestionVersionOut])
def list_versions(slug: str, db: SessionDep, _admin: AdminUser) -> list[QuestionVersionOut]:
    return [version_out(row) for row in service.versions_of(db, slug)]


@admin_router.get("/api/admin/questions/{slug}/versions/{version}", response_model=QuestionVersionOut)
def get_version(slug: str, version: int, db: SessionDep, _admin: AdminUser) -> QuestionVersionOut:
    return version_out(service.get_version(db, slug, version))


@admin_router.get("/api/admin/questions/{slug}/versions/{version}/files", response_model=QuestionFiles)
def get_version_files(slug: str, version: int, db: SessionDep, _admin: AdminUser) -> QuestionFiles:
    return QuestionFiles(files=service.get_version(db, slug, version).files)
