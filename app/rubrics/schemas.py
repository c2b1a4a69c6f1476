"""Request and response bodies of the rubric API; `RubricIn` is also what the pages validate."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SCORES = ("1", "2", "3", "4")
MAX_CRITERIA = 12
KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: str = Field(pattern=KEY_PATTERN, description="slug: lower-case letters, digits, - and _")
    title: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=1000)
    anchors: dict[str, str] = Field(description='what each score means: {"1": ..., "2": ..., "3": ..., "4": ...}')

    @field_validator("anchors")
    @classmethod
    def _four_anchors(cls, anchors: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(anchors) - set(SCORES))
        if unknown:
            raise ValueError(f"anchors are for scores 1 to 4 only, not {', '.join(unknown)}")
        missing = [s for s in SCORES if not anchors.get(s, "").strip()]
        if missing:
            raise ValueError(f"every score needs an anchor text; missing or empty: {', '.join(missing)}")
        if any(len(text) > 1000 for text in anchors.values()):
            raise ValueError("an anchor text is at most 1000 characters")
        return {s: anchors[s].strip() for s in SCORES}


class RubricIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    criteria: list[Criterion] = Field(min_length=1, max_length=MAX_CRITERIA)
    is_default: bool = False

    @model_validator(mode="after")
    def _unique_keys(self) -> RubricIn:
        keys = [c.key for c in self.criteria]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"criterion keys must be unique; repeated: {', '.join(repeated)}")
        return self


class RubricOut(BaseModel):
    id: int | Literal["default"]
    name: str
    criteria: list[Criterion]
    shipped: bool  # the app's own rubric (id "default"): read-only
    is_default: bool
    owner_id: int | None
    team_id: int | None
    editable: bool  # whether the caller may change or delete it
    created_at: datetime | None
    updated_at: datetime | None


def explain(error: ValidationError) -> str:
    """A validation error as one readable sentence per problem, e.g. for a form."""
    problems = []
    for e in error.errors():
        where = ".".join(str(p) for p in e.get("loc", ()))
        message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else message)
    return "; ".join(problems)
