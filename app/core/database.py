"""Engine and session handling.

Services never commit: the request's session dependency (or `Database.session()` in workers and
commands) commits once at the end or rolls back. Work that must only happen once the data is
durable, such as sending a job id to the broker, is registered with `after_commit`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import DateTime, TypeDecorator

from .files import private_file
from .settings import Settings

log = logging.getLogger(__name__)
_AFTER_COMMIT = "after_commit_callbacks"


class Base(DeclarativeBase):
    # Named constraints, so that later migrations (SQLite batch mode included) can refer to them.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL (None for memory databases)."""
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


# The API runs sync endpoints on anyio's worker threads (40 at most), each holding at most one
# session: a pool that can grow to 40 makes a burst (hundreds of streams opening at once) wait
# for a thread, never time out waiting for a connection. Connections beyond the 10 kept are
# closed when given back, so a quiet process holds 10.
POOL_KEPT = 10
POOL_BURST = 30


def make_engine(url: str, *, pool: bool = True) -> Engine:
    sizing: dict[str, Any] = {"pool_size": POOL_KEPT, "max_overflow": POOL_BURST} if pool else {"poolclass": NullPool}
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **sizing)
    # The API, the worker and the reaper write the same file: wait for locks instead of failing.
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **sizing)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def after_commit(db: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once this session's transaction has committed (dropped on rollback)."""
    db.info.setdefault(_AFTER_COMMIT, []).append(callback)


def _run_after_commit(db: Session) -> None:
    callbacks = db.info.pop(_AFTER_COMMIT, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:
            # The data is committed; whatever failed here (a broker outage) is repaired by the
            # reaper, which re-sends work whose row is still waiting.
            log.exception("after-commit callback failed")


def _drop_after_commit(db: Session) -> None:
    db.info.pop(_AFTER_COMMIT, None)


class Database:
    """One engine and session factory per settings object (the app and each worker own one)."""

    def __init__(self, settings: Settings, *, pool: bool = True) -> None:
        # Map every table before the first flush: foreign keys are resolved across domains,
        # and a worker or command may not have imported them all itself.
        import app.models  # noqa: F401

        self.settings = settings
        path = sqlite_path(settings.database_url) if settings.is_sqlite else None
        if path is not None:
            private_file(path)  # before SQLite creates it (and its -wal, -shm) with the umask's mode
        self.engine = make_engine(settings.database_url, pool=pool)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info={"settings": settings})
        event.listen(self.sessions, "after_commit", _run_after_commit)
        event.listen(self.sessions, "after_soft_rollback", lambda db, _tx: _drop_after_commit(db))

    @contextmanager
    def session(self) -> Iterator[Session]:
        db = self.sessions()
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise
        finally:
            db.close()

    def dispose(self) -> None:
        self.engine.dispose()


def settings_of(db: Session) -> Settings:
    """The settings of the `Database` that opened this session."""
    settings: Settings = db.info["settings"]
    return settings
