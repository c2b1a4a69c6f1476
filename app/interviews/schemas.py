"""Request and response bodies of the interview API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class InterviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: list[str] = Field(min_length=1, max_length=10)
    framework: Literal["torch", "jax"]
    duration_min: int = Field(ge=5, le=480)
    title: str = Field("", max_length=200)
    candidate_name: str = Field("", max_length=200)


class InterviewOut(BaseModel):
    id: int
    title: str
    candidate_name: str
    framework: str
    duration_min: int
    questions: list[str]
    created_at: datetime
    link_expires_at: datetime
    started_at: datetime | None
    ends_at: datetime | None
    ended_at: datetime | None
    active: bool


class InterviewCreated(InterviewOut):
    candidate_token: str
    candidate_url: str  # shown once: only the token's digest is stored


class CandidateLink(BaseModel):
    candidate_token: str
    candidate_url: str


class TimelineEntry(BaseModel):
    id: int
    at: datetime
    type: str
    question: str | None
    submission_id: str | None
    data: dict[str, Any]


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=64)
    code: str


class CandidateSubmissionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=64)
    code: str
    mode: Literal["run", "submit"] = "run"


class Scorecard(BaseModel):
    model_config = ConfigDict(extra="allow")

    notes: str = Field("", max_length=20000)
    recommendation: Literal["strong_yes", "yes", "no", "strong_no", ""] = ""
