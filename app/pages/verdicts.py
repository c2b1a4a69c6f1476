"""From a verdict's JSON (workers/grading/verdict.py) to what the verdict and speed panels show.

Pure functions over plain dicts, so the panels render the same for a live result, a history
entry and an interview report.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

FAIL_STATUSES = {
    "wrong_answer",
    "runtime_error",
    "time_limit_exceeded",
    "memory_limit_exceeded",
    "compile_error",
    "output_limit_exceeded",
    "rejected",
}
LIMIT_STATUSES = {"time_limit_exceeded", "memory_limit_exceeded", "output_limit_exceeded"}
USER_FILE = "solution.py"
_FRAME = re.compile(r'^\s*File "([^"]+)", line \d+')
MAX_TEXT = 8000
# Every field of a test result, so templates can read any of them from older or partial JSON.
TEST_DEFAULTS: dict[str, Any] = {
    "name": "",
    "passed": False,
    "visible": False,
    "family": "",
    "message": "",
    "explanation": None,
    "input_preview": None,
    "expected_preview": None,
    "actual_preview": None,
    "max_abs_error": None,
    "max_rel_error": None,
    "duration_ms": None,
}


@dataclass
class SpeedView:
    submission_ms: float | None
    reference_ms: float | None
    speedup: float | None
    ci_low: float | None
    ci_high: float | None
    verdict: str  # faster | slower | tied | unknown
    samples: int | None
    clock: str | None
    device: str | None
    submission_compile_ms: float | None
    reference_compile_ms: float | None
    benchmark_size: dict[str, Any] | None
    submission_samples_ms: list[float] = field(default_factory=list)
    reference_samples_ms: list[float] = field(default_factory=list)
    # Positions (percent of the track) for the confidence-interval drawing on a log scale.
    track: dict[str, float] | None = None

    @property
    def has_compile(self) -> bool:
        return bool(self.submission_compile_ms or self.reference_compile_ms)


@dataclass
class VerdictView:
    status: str
    tone: str  # accepted | fail | internal
    message: str
    tests: list[dict[str, Any]]
    passed: int
    total: int
    visible_total: int
    first_failure: dict[str, Any] | None
    error_text: str
    stdout: str
    stderr: str
    notes: list[str]
    speed: SpeedView | None
    is_limit: bool

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


def trim_traceback(text: str) -> str:
    """Keep only the candidate's own frames of a Python traceback (solution.py).

    The harness already trims what it sends; this is a second line for text that reaches the
    page another way (stderr of a crashed process), and leaves non-traceback text alone.
    """
    if "Traceback (most recent call last)" not in text:
        return text
    out: list[str] = []
    skipping = False
    for line in text.splitlines():
        frame = _FRAME.match(line)
        if frame:
            skipping = not frame.group(1).endswith(USER_FILE)
            if not skipping:
                out.append(line)
            continue
        if skipping and line.startswith("    "):
            continue  # the source line (and carets) of a dropped frame
        skipping = False
        out.append(line)
    return "\n".join(out)


def _clip(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "\n… (cut)"


def _tone(status: str) -> str:
    if status == "accepted":
        return "accepted"
    if status == "internal_error":
        return "internal"
    return "fail"


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return None


def _track(speedup: float | None, low: float | None, high: float | None) -> dict[str, float] | None:
    """Where 1x, the estimate and its interval sit on a log axis spanning the interval."""
    if speedup is None or speedup <= 0:
        return None
    lo = low if low and low > 0 else speedup
    hi = high if high and high > 0 else speedup
    span_lo = math.log(min(lo, 1.0, speedup) / 1.25)
    span_hi = math.log(max(hi, 1.0, speedup) * 1.25)
    width = span_hi - span_lo

    def pos(v: float) -> float:
        return round(100 * (math.log(v) - span_lo) / width, 2)

    return {
        "low": pos(lo),
        "high": pos(hi),
        "point": pos(speedup),
        "one": pos(1.0),
        "axis_low": round(math.exp(span_lo), 3),
        "axis_high": round(math.exp(span_hi), 3),
    }


def speed_view(timing: dict[str, Any] | None) -> SpeedView | None:
    if not timing or _number(timing.get("submission_ms")) is None:
        return None
    speedup = _number(timing.get("speedup"))
    low, high = _number(timing.get("speedup_ci_low")), _number(timing.get("speedup_ci_high"))
    verdict = timing.get("speed_verdict") or "unknown"
    return SpeedView(
        submission_ms=_number(timing.get("submission_ms")),
        reference_ms=_number(timing.get("reference_ms")),
        speedup=speedup,
        ci_low=low,
        ci_high=high,
        verdict=str(verdict),
        samples=timing.get("samples"),
        clock=timing.get("clock"),
        device=timing.get("device"),
        submission_compile_ms=_number(timing.get("submission_compile_ms")),
        reference_compile_ms=_number(timing.get("reference_compile_ms")),
        benchmark_size=timing.get("benchmark_size"),
        submission_samples_ms=[float(v) for v in timing.get("submission_samples_ms") or [] if _number(v) is not None],
        reference_samples_ms=[float(v) for v in timing.get("reference_samples_ms") or [] if _number(v) is not None],
        track=_track(speedup, low, high),
    )


def verdict_view(result: dict[str, Any]) -> VerdictView:
    status = str(result.get("status") or "internal_error")
    tests = [{**TEST_DEFAULTS, **t} for t in result.get("tests") or []]
    failing = [t for t in tests if not t.get("passed")]
    first = failing[0] if failing else None
    stderr = _clip(trim_traceback(result.get("stderr") or ""))
    error_text = ""
    if first and first.get("message") and "Traceback" in str(first.get("message")):
        error_text = _clip(trim_traceback(str(first["message"])))
    elif status in ("runtime_error", "compile_error") and stderr:
        error_text = stderr
    for key in ("detail", "traceback"):
        if not error_text and result.get(key):
            error_text = _clip(trim_traceback(str(result[key])))
    return VerdictView(
        status=status,
        tone=_tone(status),
        message=str(result.get("message") or ""),
        tests=tests,
        passed=sum(1 for t in tests if t.get("passed")),
        total=len(tests),
        visible_total=sum(1 for t in tests if t.get("visible")),
        first_failure=first,
        error_text=error_text,
        stdout=_clip(result.get("stdout")),
        stderr=stderr if stderr != error_text else "",
        notes=[str(n) for n in result.get("notes") or []],
        speed=speed_view(result.get("timing")) if status == "accepted" else None,
        is_limit=status in LIMIT_STATUSES,
    )


def histogram(values: list[float], bins: int = 24) -> dict[str, list[float]]:
    """Bin runtimes (ms) on a log scale for the distribution chart: bin centres and counts.

    The centres run from the fastest to the slowest value, so each extreme sits in the middle
    of its bar rather than at an edge.
    """
    finite = sorted(v for v in values if v and v > 0 and math.isfinite(v))
    if not finite:
        return {"x": [], "y": []}
    lo, hi = math.log10(finite[0]), math.log10(finite[-1])
    if hi - lo < 1e-9:
        return {"x": [round(finite[0], 6)], "y": [float(len(finite))]}
    bins = max(3, min(bins, len(finite) * 2))
    width = (hi - lo) / (bins - 1)
    counts = [0.0] * bins
    for v in finite:
        counts[round((math.log10(v) - lo) / width)] += 1
    centres = [round(10 ** (lo + i * width), 6) for i in range(bins)]
    return {"x": centres, "y": counts}
