"""Request and response bodies of the submissions API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.settings import Settings

_MAX_CODE = Settings.model_fields["max_code_bytes"].default


class SubmissionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=64, description="the question's slug")
    framework: Literal["torch", "jax"]
    # The byte limit (413) is checked by the service; this only stops absurd strings early.
    code: str = Field(max_length=4 * _MAX_CODE)
    mode: Literal["run", "submit"] = "run"


class SubmissionAccepted(BaseModel):
    id: str
    status: str = "queued"
    events_url: str


class SubmissionOut(BaseModel):
    """`status` is queued, running, then the verdict's status; `verdict` is the engine's JSON."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    question: str
    question_version: int
    framework: str
    mode: str
    state: str
    status: str
    verdict: dict[str, Any] | None
    attempt: int
    worker: str | None
    hardware: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    grading_ms: float | None
    latency_ms: float | None
    runtime_ms: float | None
    code: str | None = None


class RuntimePoint(BaseModel):
    submission_id: str
    runtime_ms: float
    framework: str
