"""Reading, adding and publishing question versions. Functions never commit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core.database import utcnow
from app.core.errors import Conflict, Invalid, NotFound
from workers.grading.followups import FindSpec, check_links
from workers.grading.spec import Question, QuestionFormatError, Spec, parse_question

from .models import QuestionState, QuestionVersion

Filters = dict[str, str | None]


def content_hash(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


def question_hardware(spec: Spec) -> str:
    """The worker queue a question needs: `gpu` when its spec says so, else `cpu`."""
    declared = getattr(spec, "hardware", None)
    if declared in ("cpu", "gpu"):
        return str(declared)
    return "gpu" if "gpu" in spec.tags else "cpu"


def validate_files(slug: str, files: dict[str, str]) -> Question:
    """Parse a folder's files or answer 422 naming the broken file and field."""
    try:
        return parse_question(slug, files)
    except QuestionFormatError as exc:
        raise _invalid(exc) from exc


def _invalid(exc: QuestionFormatError) -> Invalid:
    return Invalid(str(exc), file=exc.file, field=exc.field, problem=exc.problem)


def followup_finder(db: Session, arriving: Mapping[str, Question]) -> FindSpec:
    """Where follow-up links resolve: the questions arriving now, else those candidates can get."""

    def find(slug: str) -> Spec | None:
        if slug in arriving:
            return arriving[slug].spec
        row = current_version(db, slug)
        return as_question(row).spec if row is not None else None

    return find


def check_followup_links(db: Session, question: Question) -> None:
    """An upload's follow-ups against the questions candidates can get now (422 if one is not)."""
    try:
        check_links(question, followup_finder(db, {question.slug: question}))
    except QuestionFormatError as exc:
        raise _invalid(exc) from exc


@lru_cache(maxsize=512)
def _parse_cached(version_id: int, digest: str, slug: str, files_json: str) -> Question:
    return parse_question(slug, json.loads(files_json))


def as_question(row: QuestionVersion) -> Question:
    """The engine's `Question` for a stored version (parsed once per process: rows never change)."""
    return _parse_cached(row.id, row.content_hash, row.slug, json.dumps(row.files, sort_keys=True))


def new_version_row(db: Session, question: Question, *, source: str, created_by: int | None = None) -> QuestionVersion:
    latest = db.scalar(select(func.max(QuestionVersion.version)).where(QuestionVersion.slug == question.slug))
    spec = question.spec
    row = QuestionVersion(
        slug=spec.slug,
        version=max((latest or 0) + 1, spec.version if latest is None else 0),
        title=spec.title,
        kind=spec.kind,
        difficulty=spec.difficulty,
        tags_text="," + ",".join(spec.tags) + ",",
        frameworks_text="," + ",".join(spec.frameworks) + ",",
        hardware=question_hardware(spec),
        files=dict(question.files),
        content_hash=content_hash(question.files),
        source=source,
        state=QuestionState.PENDING.value,
        created_by=created_by,
    )
    db.add(row)
    db.flush()
    return row


def publish(db: Session, row: QuestionVersion) -> bool:
    """Make `row` the version candidates get, unless a newer one is already published."""
    current = current_version(db, row.slug, include_retired=True)
    if current is not None and current.version > row.version:
        row.state = QuestionState.PUBLISHED.value
        return False
    db.execute(
        update(QuestionVersion)
        .where(QuestionVersion.slug == row.slug, QuestionVersion.id != row.id)
        .values(is_current=False)
    )
    row.state = QuestionState.PUBLISHED.value
    row.is_current = True
    row.published_at = utcnow()
    row.retired_at = current.retired_at if current is not None else None
    return True


def reject(row: QuestionVersion, failures: list[Any]) -> None:
    row.state = QuestionState.REJECTED.value
    row.check_failures = failures


def current_version(db: Session, slug: str, *, include_retired: bool = False) -> QuestionVersion | None:
    query = select(QuestionVersion).where(QuestionVersion.slug == slug, QuestionVersion.is_current.is_(True))
    if not include_retired:
        query = query.where(QuestionVersion.retired_at.is_(None))
    return db.scalar(query)


def get_current(db: Session, slug: str) -> QuestionVersion:
    row = current_version(db, slug)
    if row is None:
        raise NotFound(f"no question '{slug}'", question=slug)
    return row


def list_current(db: Session, filters: Filters) -> list[dict[str, Any]]:
    """Summaries of the questions candidates can open, filtered; files are not loaded."""
    q = QuestionVersion
    query = select(q.slug, q.version, q.title, q.kind, q.difficulty, q.tags_text, q.frameworks_text).where(
        q.is_current.is_(True), q.retired_at.is_(None)
    )
    if filters.get("kind"):
        query = query.where(q.kind == filters["kind"])
    if filters.get("difficulty"):
        query = query.where(q.difficulty == filters["difficulty"])
    if filters.get("framework"):
        query = query.where(q.frameworks_text.contains(f",{filters['framework']},"))
    if filters.get("tag"):
        query = query.where(q.tags_text.contains(f",{filters['tag']},"))
    rows = db.execute(query.order_by(q.slug)).all()
    return [
        {
            "slug": r.slug,
            "version": r.version,
            "title": r.title,
            "kind": r.kind,
            "difficulty": r.difficulty,
            "tags": [t for t in r.tags_text.split(",") if t],
            "frameworks": [f for f in r.frameworks_text.split(",") if f],
        }
        for r in rows
    ]


def public_view(row: QuestionVersion) -> dict[str, Any]:
    view = as_question(row).public_view()
    view["version"] = row.version  # the database version, which submissions refer to
    return view


def versions_of(db: Session, slug: str) -> list[QuestionVersion]:
    rows = list(
        db.scalars(select(QuestionVersion).where(QuestionVersion.slug == slug).order_by(QuestionVersion.version))
    )
    if not rows:
        raise NotFound(f"no question '{slug}'", question=slug)
    return rows


def get_version(db: Session, slug: str, version: int) -> QuestionVersion:
    row = db.scalar(select(QuestionVersion).where(QuestionVersion.slug == slug, QuestionVersion.version == version))
    if row is None:
        raise NotFound(f"no version {version} of question '{slug}'", question=slug)
    return row


def propose(
    db: Session, slug: str, files: dict[str, str], *, creating: bool, created_by: int | None
) -> QuestionVersion:
    """A new pending version from an admin; published once a worker's check passes."""
    exists = db.scalar(select(QuestionVersion.id).where(QuestionVersion.slug == slug).limit(1))
    if creating and exists is not None:
        raise Conflict(f"question '{slug}' already exists; update it instead", question=slug)
    if not creating and exists is None:
        raise NotFound(f"no question '{slug}'", question=slug)
    question = validate_files(slug, files)
    check_followup_links(db, question)
    return new_version_row(db, question, source="admin", created_by=created_by)


def retire(db: Session, slug: str) -> None:
    versions_of(db, slug)  # 404 for an unknown slug
    db.execute(
        update(QuestionVersion)
        .where(QuestionVersion.slug == slug, QuestionVersion.retired_at.is_(None))
        .values(retired_at=utcnow())
    )
