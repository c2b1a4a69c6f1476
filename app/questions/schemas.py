"""Request and response bodies of the question API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class QuestionSummary(BaseModel):
    slug: str
    version: int
    title: str
    kind: str
    difficulty: str
    tags: list[str]
    frameworks: list[str]


class QuestionDetail(BaseModel):
    """`Question.public_view()`: no references, hidden tests, seeds, cases or solutions."""

    model_config = ConfigDict(extra="allow")

    slug: str
    version: int
    title: str
    kind: str
    difficulty: str
    tags: list[str]
    frameworks: list[str]
    prompt: str


class QuestionFiles(BaseModel):
    """A whole question folder: relative path -> text (question.toml, prompt.md, ...)."""

    files: dict[str, str] = Field(min_length=1)


class QuestionVersionOut(BaseModel):
    slug: str
    version: int
    state: str
    is_current: bool
    source: str
    hardware: str
    check_failures: list[Any] | None
    created_at: datetime
    published_at: datetime | None
    retired_at: datetime | None
