"""Running the Alembic migrations from code (`dojo serve`, `dojo migrate`, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from .settings import REPO_ROOT, Settings

ALEMBIC_INI = REPO_ROOT / "alembic.ini"


def alembic_config(settings: Settings) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.attributes["database_url"] = settings.database_url
    config.attributes["configure_logger"] = False  # keep the caller's logging as it is
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.is_sqlite:
        settings.ensure_data_dir()
    command.upgrade(alembic_config(settings), revision)
