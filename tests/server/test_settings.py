"""Settings: DOJO_ variables, embedded defaults, unsafe defaults refused outside development."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.settings import Settings


def test_embedded_defaults_live_under_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.database_url == f"sqlite:///{tmp_path}/dojo.sqlite3"
    assert settings.broker_url == f"sqla+sqlite:///{tmp_path}/broker.sqlite3"
    assert settings.embedded_broker and settings.is_sqlite and settings.env == "development"


def test_production_urls_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_ENV", "production")
    monkeypatch.setenv("DOJO_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DOJO_DATABASE_URL", "postgresql+psycopg://u@db/dojo")
    monkeypatch.setenv("DOJO_BROKER_URL", "redis://redis:6379/0")
    settings = Settings()
    assert not settings.embedded_broker and not settings.is_sqlite
    assert settings.cookie_secure is True


@pytest.mark.parametrize("env", ["production", "test"])
def test_default_secret_refused_outside_development(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOJO_SECRET_KEY", raising=False)
    monkeypatch.setenv("DOJO_ENV", env)
    with pytest.raises(ValidationError, match="DOJO_SECRET_KEY"):
        Settings()
