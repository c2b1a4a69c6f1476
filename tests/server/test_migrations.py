"""The Alembic migrations build exactly the models' schema, on SQLite and PostgreSQL, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.core.database import make_engine
from app.core.migrate import alembic_config, upgrade
from app.models import Base

from .support import create_pg_database, make_settings


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
