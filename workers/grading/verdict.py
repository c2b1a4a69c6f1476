"""Verdict vocabulary and the result object every caller (CLI, worker, API) serialises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT_EXCEEDED = "time_limit_exceeded"
    MEMORY_LIMIT_EXCEEDED = "memory_limit_exceeded"
    COMPILE_ERROR = "compile_error"
    OUTPUT_LIMIT_EXCEEDED = "output_limit_exceeded"
    REJECTED = "rejected"
    INTERNAL_ERROR = "internal_error"

    @property
    def is_infrastructure_failure(self) -> bool:
        """Only our own failures may be retried; everything else is the candidate's verdict."""
        return self is Status.INTERNAL_ERROR


@dataclass
class TestResult:
    name: str
    passed: bool
    visible: bool
    family: str
    message: str = ""
    # Plain-language reason shown when a hidden family fails ("exp overflows above 88").
    explanation: str | None = None
    # Only filled for visible examples: hidden inputs and expectations never leave the judge.
    input_preview: str | None = None
    expected_preview: str | None = None
    actual_preview: str | None = None
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    duration_ms: float | None = None


@dataclass
class Timing:
    submission_ms: float | None = None
    reference_ms: float | None = None
    speedup: float | None = None  # reference_ms / submission_ms: above 1 means faster
    speedup_ci_low: float | None = None
    speedup_ci_high: float | None = None
    speed_verdict: str | None = None  # faster | slower | tied
    samples: int | None = None
    submission_spread_ms: float | None = None  # interquartile range
    reference_spread_ms: float | None = None
    submission_compile_ms: float | None = None  # first call minus steady state (JAX tracing/jit)
    reference_compile_ms: float | None = None
    clock: str | None = None  # "runner" (precise, in-process) or "judge" (wall clock fallback)
    device: str | None = None
    benchmark_size: dict[str, Any] | None = None
    submission_samples_ms: list[float] = field(default_factory=list)
    reference_samples_ms: list[float] = field(default_factory=list)


@dataclass
class GradeResult:
    status: Status
    message: str
    tests: list[TestResult] = field(default_factory=list)
    timing: Timing = field(default_factory=Timing)
    stdout: str = ""
    stderr: str = ""
    notes: list[str] = field(default_factory=list)  # hygiene remarks: host syncs, rule hits

    @property
    def accepted(self) -> bool:
        return self.status is Status.ACCEPTED

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return data
