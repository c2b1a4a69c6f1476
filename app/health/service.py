"""Checks behind /api/health: each part answers quickly or is reported down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.core.database import Database, make_engine, utcnow
from app.core.settings import Settings
from app.submissions.models import RunnerPoolState, WorkerHeartbeat
from workers.celery_app import celery_for

from .live import live_state

WORKER_SEEN_S = 60.0  # heartbeats come every few seconds; a minute of silence means gone


def check_database(database: Database) -> dict[str, Any]:
    try:
        with database.session() as db:
            db.execute(text("SELECT 1"))
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "backend": database.engine.dialect.name}


def check_broker(settings: Settings) -> dict[str, Any]:
    backend = "sqlalchemy" if settings.embedded_broker else settings.broker_url.split(":", 1)[0]
    try:
        if settings.embedded_broker:
            # kombu connects lazily to a SQL broker, so ask the database itself.
            engine = make_engine(settings.broker_url.removeprefix("sqla+"), pool=False)
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
            finally:
                engine.dispose()
        else:
            with celery_for(settings).connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return {"ok": False, "backend": backend, "error": type(exc).__name__}
    return {"ok": True, "backend": backend}


def workers_seen(db: Session) -> list[dict[str, Any]]:
    cutoff = utcnow() - timedelta(seconds=WORKER_SEEN_S)
    rows = db.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.last_seen >= cutoff))
    return [
        {
            "hostname": w.hostname,
            "queues": w.queues.split(","),
            "hardware": w.hardware,
            "started_at": w.started_at,
            "last_seen": w.last_seen,
        }
        for w in rows
    ]


def runner_pools(db: Session) -> list[dict[str, Any]]:
    """Warm-runner pools of worker processes seen recently (see workers/heartbeat.PoolReporter)."""
    cutoff = utcnow() - timedelta(seconds=WORKER_SEEN_S)
    rows = db.scalars(select(RunnerPoolState).where(RunnerPoolState.last_seen >= cutoff))
    return [{"process": r.process, "last_seen": r.last_seen, **r.stats} for r in rows]


def health(database: Database) -> tuple[bool, dict[str, Any]]:
    db_state = check_database(database)
    broker = check_broker(database.settings)
    workers: list[dict[str, Any]] = []
    pools: list[dict[str, Any]] = []
    if db_state["ok"]:
        with database.session() as db:
            workers = workers_seen(db)
            pools = runner_pools(db)
    ok = bool(db_state["ok"] and broker["ok"])
    body = {
        "status": "ok" if ok and workers else ("degraded" if ok else "down"),
        "database": db_state,
        "broker": broker,
        "workers": workers,
        "runner_pools": pools,
        "live": live_state(database.settings),
    }
    return ok, body
