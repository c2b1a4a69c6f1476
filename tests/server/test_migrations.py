"""The Alembic migrations build exactly the models' schema, on SQLite and PostgreSQL, both ways,
and taking a migration back keeps what the older schema holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pycrdt import Doc, Text
from sqlalchemy import func, inspect, select

from app.accounts.models import Role
from app.accounts.service import create_user
from app.core.database import make_engine
from app.core.migrate import alembic_config, upgrade
from app.interviews.service import create_session
from app.models import Base, PairSnapshot, PairUpdate
from app.pairing import snapshots
from app.pairing.service import CANDIDATE, CODE, append_update, load_doc, text_of

from .support import create_pg_database, make_settings, postgres_stack, sqlite_stack


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_upgrade_matches_models_and_downgrades(backend: str, tmp_path: Path) -> None:
    drop = None
    if backend == "sqlite":
        settings = make_settings(data_dir=tmp_path)
    else:
        url, drop = create_pg_database()
        settings = make_settings(data_dir=tmp_path, database_url=url)
    try:
        upgrade(settings)
        engine = make_engine(settings.database_url, pool=False)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        command.downgrade(alembic_config(settings), "base")
        upgrade(settings)
        engine.dispose()
    finally:
        if drop is not None:
            drop()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_pair_snapshots_come_and_go_without_touching_the_log(backend: str, tmp_path: Path) -> None:
    """0009 adds the snapshot table and takes it away again; the keystroke log stays whole and
    documents load from it alone."""
    stack = sqlite_stack(tmp_path) if backend == "sqlite" else postgres_stack(tmp_path)
    try:
        with stack.database.session() as db:
            user = create_user(db, "migrations@example.com", "correct horse", Role.INTERVIEWER)
            session, _ = create_session(db, user, questions=["softmax"], framework="torch", duration_min=60)
            interview_id = session.id
        doc: Doc[Any] = Doc()
        text = doc.get(CODE, type=Text)
        with mock.patch.object(snapshots, "SNAPSHOT_EVERY", 2):
            for key in "abc":
                before = doc.get_state()
                text += key
                with stack.database.session() as db:
                    append_update(db, interview_id, "softmax", doc.get_update(before), CANDIDATE, "test")

        def tables() -> set[str]:
            return set(inspect(stack.database.engine).get_table_names())

        with stack.database.session() as db:
            assert db.scalar(select(func.count()).select_from(PairSnapshot)) == 1
        command.downgrade(alembic_config(stack.settings), "0008")
        assert "pair_snapshots" not in tables() and "pair_updates" in tables()
        upgrade(stack.settings)
        with stack.database.session() as db:
            assert db.scalar(select(func.count()).select_from(PairSnapshot)) == 0
            assert db.scalar(select(func.count()).select_from(PairUpdate)) == 3
            assert text_of(load_doc(db, interview_id, "softmax")) == "abc"
    finally:
        stack.close()
