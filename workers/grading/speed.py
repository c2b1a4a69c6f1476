"""Timing the submission against the reference, side by side, on fresh verified inputs.

Calls alternate between the two runners (and alternate who goes first) so drift on a noisy
machine hits both alike. Every timed call gets new inputs and every timed output is checked,
which defeats caching and "detect the benchmark" tricks. Sampling stops when both medians are
precise enough (relative standard error under the target) or the time budget is spent.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

import numpy as np

from .casebox import QuestionCases
from .client import CallReply
from .failures import FailureVerdict
from .stats import iqr, median_rse, speedup_interval
from .verdict import Status, Timing

if TYPE_CHECKING:
    from .judge import _Grading

WARMUP_CALLS = 2
# How much more per-call overhead (judge wall clock minus the runner's own figure) the
# submission may show than the reference before its own clock is distrusted.
OVERHEAD_SLACK_MS = 1.0
OVERHEAD_SLACK_FRACTION = 0.25


class _Samples:
    def __init__(self) -> None:
        self.runner_ms: list[float] = []
        self.wall_ms: list[float] = []
        self.first_ms: float | None = None

    def add(self, reply: CallReply) -> None:
        self.runner_ms.append(reply.elapsed_ns / 1e6)
        self.wall_ms.append(reply.wall_ns / 1e6)

    def overheads_ms(self) -> np.ndarray:
        return np.subtract(self.wall_ms, self.runner_ms)


def measure_speed(grading: _Grading, cases: QuestionCases) -> Timing:
    from .judge import _Stop

    bench = grading.spec.benchmark
    assert bench is not None
    rng = np.random.default_rng(secrets.randbits(63))
    sub, ref = _Samples(), _Samples()
    deadline = time.monotonic() + 2 * bench.budget_s * grading.config.speed_budget_scale
    calls = 0
    while True:
        case = cases.make_inputs(bench.family, bench.size, rng)
        order = [("ref", ref), ("sub", sub)] if calls % 2 == 0 else [("sub", sub), ("ref", ref)]
        replies = {}
        for role, _ in order:
            client = grading.ref if role == "ref" else grading.sub
            replies[role] = grading._call(client, case, "the speed benchmark", timed=True)
        message, _ = grading._check(cases, case, replies["sub"], replies["ref"])
        if message is not None:
            raise _Stop(FailureVerdict(
                Status.WRONG_ANSWER, f"Wrong answer during the speed benchmark (fresh inputs): {message}"))
        _check_plausible(replies["sub"])
        calls += 1
        if calls <= WARMUP_CALLS:
            if calls == 1:
                sub.first_ms = replies["sub"].elapsed_ns / 1e6
                ref.first_ms = replies["ref"].elapsed_ns / 1e6
            continue
        sub.add(replies["sub"])
        ref.add(replies["ref"])
        if _should_stop(sub, ref, bench.min_samples, bench.max_samples, bench.target_rse, deadline):
            break
    return _timing(grading, sub, ref)


def _check_plausible(reply: CallReply) -> None:
    from .judge import _Stop

    if reply.elapsed_ns <= 0 or reply.elapsed_ns > reply.wall_ns:
        raise _Stop(FailureVerdict(
            Status.REJECTED,
            "your process reported a call time that the judge's own clock rules out "
            f"({reply.elapsed_ns} ns inside a {reply.wall_ns} ns round trip): the timer was tampered with"))


def _should_stop(sub: _Samples, ref: _Samples, min_n: int, max_n: int, target: float, deadline: float) -> bool:
    count = len(sub.runner_ms)
    if count >= max_n or time.monotonic() > deadline:
        return True
    return count >= min_n and median_rse(sub.runner_ms) < target and median_rse(ref.runner_ms) < target


def _timing(grading: _Grading, sub: _Samples, ref: _Samples) -> Timing:
    clock = "runner"
    sub_values, ref_values = sub.runner_ms, ref.runner_ms
    extra = _excess_overhead_ms(sub, ref)
    if extra > OVERHEAD_SLACK_MS + OVERHEAD_SLACK_FRACTION * float(np.median(ref.runner_ms)):
        # The runner's own timer under-reports: score from the judge's clock for both sides.
        clock = "judge"
        sub_values, ref_values = sub.wall_ms, ref.wall_ms
        grading.notes.append(
            f"your process's own timings were {extra:.2f} ms per call below the judge's clock; "
            "speed is scored from the judge's clock")
    estimate = speedup_interval(sub_values, ref_values)
    sub_median, ref_median = float(np.median(sub_values)), float(np.median(ref_values))
    assert grading.sub is not None
    bench = grading.spec.benchmark
    return Timing(
        submission_ms=round(sub_median, 4),
        reference_ms=round(ref_median, 4),
        speedup=round(estimate.speedup, 4),
        speedup_ci_low=round(estimate.ci_low, 4),
        speedup_ci_high=round(estimate.ci_high, 4),
        speed_verdict=estimate.verdict,
        samples=len(sub_values),
        submission_spread_ms=round(iqr(sub_values), 4),
        reference_spread_ms=round(iqr(ref_values), 4),
        submission_compile_ms=_compile_ms(sub.first_ms, sub_median),
        reference_compile_ms=_compile_ms(ref.first_ms, ref_median),
        clock=clock,
        device=str(grading.sub.info.get("device", "")),
        benchmark_size=dict(bench.size) if bench else None,
        submission_samples_ms=[round(v, 4) for v in sub_values],
        reference_samples_ms=[round(v, 4) for v in ref_values],
    )


def _excess_overhead_ms(sub: _Samples, ref: _Samples) -> float:
    """How much more the submission's calls cost outside its own timer, minus 3 standard errors.

    Calls are paired (same inputs, back to back), so the per-pair difference cancels the
    transfer cost; subtracting its noise keeps an honest submission on a busy machine from
    being flagged.
    """
    diffs = sub.overheads_ms() - ref.overheads_ms()
    centre = float(np.median(diffs))
    noise = 1.4826 * float(np.median(np.abs(diffs - centre))) * 1.2533 / np.sqrt(diffs.size)
    return centre - 3 * noise


def _compile_ms(first_ms: float | None, median_ms: float) -> float | None:
    """First call minus steady state: tracing and compilation (JAX jit), caches warming."""
    if first_ms is None:
        return None
    return round(max(first_ms - median_ms, 0.0), 3)
