"""Request and response bodies of the interview API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]  # ids are 32-bit on PostgreSQL


class TakeHomeIn(BaseModel):
    """The window a take-home candidate may start in; the clock then runs `duration_min`."""

    model_config = ConfigDict(extra="forbid")

    opens_at: AwareDatetime
    closes_at: AwareDatetime


class InterviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: list[str] = Field(min_length=1, max_length=10)
    framework: Literal["torch", "jax"]
    duration_min: int = Field(ge=5, le=480)
    title: str = Field("", max_length=200)
    candidate_name: str = Field("", max_length=200)
    # A rubric id from /api/rubrics, "default" for the shipped one; left out: the caller's own
    # marked default rubric, else the shipped one. The session keeps a copy of it.
    rubric_id: RowId | Literal["default"] | None = None
    # Given: a take-home session, with no live interviewer (see app/interviews/takehome.py).
    take_home: TakeHomeIn | None = None


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
    rubric: dict[str, Any] | None  # the copy of the rubric the session is scored against
    # A take-home's window and state (scheduled, not_started, in_progress, submitting,
    # submitted, expired); None for a live session.
    take_home: dict[str, Any] | None = None


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


class FollowUpIn(BaseModel):
    """Push `question`, one of the follow-ups `parent` names, to a running session."""

    model_config = ConfigDict(extra="forbid")

    parent: str = Field(max_length=64)
    question: str = Field(max_length=64)


class CriterionScore(BaseModel):
    """One rubric criterion: its score (1-4), the timeline entries that show it, a note."""

    model_config = ConfigDict(extra="forbid")

    score: int | None = Field(None, ge=1, le=4)
    evidence: list[RowId] = Field(default_factory=list, max_length=50)  # timeline entry ids
    note: str = Field("", max_length=2000)


class Scorecard(BaseModel):
    model_config = ConfigDict(extra="allow")

    notes: str = Field("", max_length=20000)
    recommendation: Literal["strong_yes", "yes", "no", "strong_no", ""] = ""
    # By criterion key of the session's rubric (checked against it when saved).
    criteria: dict[str, CriterionScore] = Field(default_factory=dict, max_length=12)


PASTE_TEXT_MAX = 8192  # characters of a paste kept on the timeline


class PasteSignal(BaseModel):
    """A paste into the editor: its full size, and its text (cut to PASTE_TEXT_MAX)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["paste"]
    question: str = Field(max_length=64)
    chars: int = Field(ge=1, le=10_000_000)
    lines: int = Field(ge=1, le=1_000_000)
    text: str = Field(max_length=PASTE_TEXT_MAX)


class HiddenSignal(BaseModel):
    """A time the page was hidden (another tab, minimised) or the window lost focus; sent when it ends."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["hidden"]
    question: str | None = Field(None, max_length=64)
    seconds: float = Field(ge=0, le=86400)
    reason: Literal["hidden", "blur"] = "hidden"


SignalIn = Annotated[PasteSignal | HiddenSignal, Field(discriminator="type")]
