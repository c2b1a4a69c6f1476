"""Re-sends work that was lost: rows stuck in running or queued past a deadline.

A worker killed with SIGKILL loses its task for good on the SQLAlchemy transport (and holds
it for the visibility timeout on Redis); a broker restart without persistence drops queued
messages. The row says what is owed, so the reaper re-sends the id, and the conditional
updates in `lifecycle` keep a duplicate from grading twice. Several reapers (one per API
process) are safe for the same reason.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, text, update

from app.core.database import Database, make_engine, utcnow
from workers.celery_app import send_grade
from workers.grading.verdict import GradeResult, Status

from . import lifecycle
from .models import State, Submission, SubmissionEvent

log = logging.getLogger(__name__)


@dataclass
class ReapReport:
    requeued: list[str] = field(default_factory=list)  # running past the deadline
    resent: list[str] = field(default_factory=list)  # queued past the deadline
    failed: list[str] = field(default_factory=list)  # out of attempts: internal_error


def reap_once(database: Database) -> ReapReport:
    report = ReapReport()
    _reap_running(database, report)
    _resend_queued(database, report)
    return report


def _reap_running(database: Database, report: ReapReport) -> None:
    settings = database.settings
    cutoff = utcnow() - timedelta(seconds=settings.running_deadline_s)
    with database.session() as db:
        stuck = db.execute(
            select(Submission.id, Submission.attempt, Submission.queue).where(
                Submission.state == State.RUNNING.value, Submission.started_at < cutoff
            )
        ).all()
    for submission_id, attempt, queue in stuck:
        if attempt >= settings.max_attempts:
            message = f"grading was lost {attempt} times; this is not a verdict on your code"
            verdict = GradeResult(Status.INTERNAL_ERROR, message).to_json()
            if lifecycle.finish(database, submission_id, attempt, verdict):
                report.failed.append(submission_id)
        elif lifecycle.release(database, submission_id, attempt, "the worker was lost"):
            report.requeued.append(submission_id)
            _send(database, submission_id, queue)


def _resend_queued(database: Database, report: ReapReport) -> None:
    now = utcnow()
    cutoff = now - timedelta(seconds=database.settings.queued_deadline_s)
    with database.session() as db:
        waiting = db.execute(
            select(Submission.id, Submission.queue, Submission.queued_at).where(
                Submission.state == State.QUEUED.value, Submission.queued_at < cutoff
            )
        ).all()
    for submission_id, queue, queued_at in waiting:
        with database.session() as db:
            # Only the reaper that moves queued_at forward re-sends, once per deadline.
            moved = db.execute(
                update(Submission)
                .where(
                    Submission.id == submission_id,
                    Submission.state == State.QUEUED.value,
                    Submission.queued_at == queued_at,
                )
                .values(queued_at=now)
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                continue
            data = {"type": "resent", "reason": "still queued past the deadline"}
            db.add(SubmissionEvent(submission_id=submission_id, type="resent", data=data))
        report.resent.append(submission_id)
        _send(database, submission_id, queue)


def _send(database: Database, submission_id: str, queue: str) -> None:
    try:
        send_grade(database.settings, submission_id, queue)
    except Exception:
        log.warning("broker unavailable; submission %s will be sent again later", submission_id)


def clean_embedded_broker(broker_url: str) -> int:
    """Delete consumed messages: kombu's SQLAlchemy transport keeps them forever."""
    if not broker_url.startswith("sqla+"):
        return 0
    engine = make_engine(broker_url.removeprefix("sqla+"), pool=False)
    try:
        with engine.begin() as conn:
            has_table = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE name='kombu_message'")
                if engine.dialect.name == "sqlite"
                else text("SELECT 1 FROM information_schema.tables WHERE table_name='kombu_message'")
            ).first()
            if has_table is None:
                return 0
            deleted = conn.execute(text("DELETE FROM kombu_message WHERE visible = :f"), {"f": False})
            return int(deleted.rowcount or 0)
    finally:
        engine.dispose()


class Reaper(threading.Thread):
    """Runs `reap_once`, then each of `also` (other repairs that read what is owed from the
    database), every `reaper_interval_s` seconds until stopped."""

    def __init__(self, database: Database, also: Sequence[Callable[[Database], object]] = ()) -> None:
        super().__init__(name="dojo-reaper", daemon=True)
        self.database = database
        self.also = tuple(also)
        self._stop_event = threading.Event()

    def run(self) -> None:
        passes = 0
        while not self._stop_event.wait(self.database.settings.reaper_interval_s):
            try:
                report = reap_once(self.database)
                if report.requeued or report.resent or report.failed:
                    log.warning("reaper: %s", report)
                passes += 1
                if passes % 60 == 0:  # the consumed-message table only needs a trim now and then
                    clean_embedded_broker(self.database.settings.broker_url)
            except Exception:
                log.exception("reaper pass failed; trying again next interval")
            for job in self.also:
                try:
                    job(self.database)
                except Exception:
                    log.exception("%s failed; trying again next interval", getattr(job, "__name__", job))

    def stop(self) -> None:
        self._stop_event.set()
