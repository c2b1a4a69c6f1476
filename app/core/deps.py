"""FastAPI dependencies shared by every domain, as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from .database import Database
from .settings import Settings


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """One session per request: committed when the endpoint returns, rolled back if it raises."""
    with get_database(request).session() as db:
        yield db


DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function" commits before the response is sent, so a client that reads right after a
# 202 finds the row, and a failed commit is reported instead of a success.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
