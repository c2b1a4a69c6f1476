"""Reads for the practice pages: progress, history, solved checks, references, runtimes.

Built on the questions and submissions services; functions take the request's session and
never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.questions import service as questions
from app.questions.models import QuestionVersion
from app.submissions import service as submissions
from app.submissions.models import Submission

from .verdicts import histogram


@dataclass
class Progress:
    status: str  # solved | attempted
    best_speedup: float | None = None


def progress_by_slug(db: Session, user: User | None) -> dict[str, Progress]:
    """The user's state on each question: solved (an accepted submit) or attempted."""
    if user is None:
        return {}
    rows = db.execute(
        select(Submission.question_slug, Submission.mode, Submission.status, Submission.verdict).where(
            Submission.user_id == user.id, Submission.interview_id.is_(None)
        )
    ).all()
    progress: dict[str, Progress] = {}
    for slug, mode, status, verdict in rows:
        entry = progress.setdefault(slug, Progress("attempted"))
        if mode == "submit" and status == "accepted":
            entry.status = "solved"
            speedup = ((verdict or {}).get("timing") or {}).get("speedup")
            if isinstance(speedup, (int, float)) and (entry.best_speedup is None or speedup > entry.best_speedup):
                entry.best_speedup = float(speedup)
    return progress


def has_solved(db: Session, user: User | None, slug: str) -> bool:
    """An accepted submit by this user (the gate for reference solutions; checked here only)."""
    if user is None:
        return False
    found = db.scalar(
        select(Submission.id)
        .where(
            Submission.user_id == user.id,
            Submission.question_slug == slug,
            Submission.mode == "submit",
            Submission.status == "accepted",
        )
        .limit(1)
    )
    return found is not None


def filter_questions(
    db: Session, filters: dict[str, str | None], search: str, status: str, user: User | None
) -> tuple[list[dict[str, Any]], dict[str, Progress]]:
    rows = questions.list_current(db, filters)
    progress = progress_by_slug(db, user)
    if search:
        needle = search.lower()
        rows = [
            r
            for r in rows
            if needle in r["title"].lower() or needle in r["slug"] or any(needle in t for t in r["tags"])
        ]
    if status in ("solved", "attempted"):
        rows = [r for r in rows if r["slug"] in progress and progress[r["slug"]].status == status]
    elif status == "todo":
        rows = [r for r in rows if r["slug"] not in progress]
    order = {"easy": 0, "medium": 1, "hard": 2}
    rows.sort(key=lambda r: (r["kind"] != "coding", order.get(r["difficulty"], 3), r["title"].lower()))
    return rows, progress


def all_tags(db: Session) -> list[str]:
    tags: set[str] = set()
    for row in questions.list_current(db, {}):
        tags.update(row["tags"])
    return sorted(tags)


def latest_code(db: Session, user: User | None, slug: str, framework: str) -> Submission | None:
    """The user's most recent practice submission in this framework (their last saved code)."""
    if user is None:
        return None
    return db.scalar(
        select(Submission)
        .where(
            Submission.user_id == user.id,
            Submission.question_slug == slug,
            Submission.framework == framework,
            Submission.interview_id.is_(None),
        )
        .order_by(Submission.created_at.desc())
        .limit(1)
    )


def best_accepted(db: Session, user: User | None, slug: str) -> Submission | None:
    """The user's fastest accepted submit of `slug`, to show beside the references."""
    if user is None:
        return None
    rows = db.scalars(
        select(Submission).where(
            Submission.user_id == user.id,
            Submission.question_slug == slug,
            Submission.mode == "submit",
            Submission.status == "accepted",
        )
    ).all()
    return min(rows, key=lambda s: s.runtime_ms or float("inf"), default=None)


def history(db: Session, user: User, slug: str, limit: int = 100) -> list[Submission]:
    return [s for s in submissions.list_for_question(db, slug, user=user, limit=limit) if s.interview_id is None]


def references(db: Session, user: User | None, row: QuestionVersion) -> dict[str, str] | None:
    """Both frameworks' reference solutions, only once `user` has an accepted submit."""
    if not has_solved(db, user, row.slug):
        return None
    question = questions.as_question(row)
    return {fw: question.reference(fw) for fw in question.spec.frameworks}


def runtime_chart(db: Session, slug: str, framework: str, mine: Submission) -> dict[str, Any]:
    """Histogram of accepted runtimes for the question and framework, with markers."""
    points = submissions.accepted_runtimes(db, slug, framework)
    values = [float(p["runtime_ms"]) for p in points if p["runtime_ms"]]
    timing = (mine.verdict or {}).get("timing") or {}
    mine_ms = timing.get("submission_ms")
    slower = sum(1 for v in values if mine_ms is not None and v > mine_ms)
    return {
        "hist": histogram(values),
        "count": len(values),
        "mine_ms": mine_ms,
        "reference_ms": timing.get("reference_ms"),
        "faster_than_pct": (
            # A percentage of a handful of submissions says little.
            round(100 * slower / (len(values) - 1)) if len(values) >= 5 and mine_ms else None
        ),
    }


def submission_for_page(db: Session, user: User, submission_id: str) -> Submission:
    return submissions.get_for_user(db, user, submission_id)
