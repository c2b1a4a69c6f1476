"""Timing the submission against the reference, side by side, on fresh verified inputs.

Calls alternate between the two runners (and alternate who goes first) so drift on a noisy
machine hits both alike. Every timed call gets new inputs and every timed output is checked,
which defeats caching and "detect the benchmark" tricks. The two calls on one input form a
pair; the speedup is the median of the per-pair ratios, and sampling stops once its interval
settles the verdict precisely enough, or the pair count or the time budget runs out.
"""

from __future__ import annotations

import math
import secrets
import time
from typing import TYPE_CHECKING

import numpy as np

from .casebox import QuestionCases
from .casekit import Case
from .client import CallReply
from .failures import FailureVerdict
from .stats import TIE_BAND, SpeedEstimate, iqr, paired_speedup, sign_test_rank
from .stock import stock_key
from .verdict import Status, Timing

if TYPE_CHECKING:
    from .judge import _Grading

WARMUP_CALLS = 2
# How much more per-call overhead (judge wall clock minus the runner's own figure) the
# submission may show than the reference before its own clock is distrusted.
OVERHEAD_SLACK_MS = 1.0
OVERHEAD_SLACK_FRACTION = 0.25
# The speedup is reported to within 5 % either way: finer would spend a noisy machine's whole
# budget on digits no verdict uses.
PRECISION_FLOOR = 0.05
# A 95 % interval spans about 1.96 standard errors each side, and the relative errors of two
# medians add in quadrature: this turns a question's per-median target into a ratio half-width.
_RSE_TO_RATIO_HALF_WIDTH = 1.96 * math.sqrt(2)
# Looking at the interval after every pair and stopping on the first look that calls a
# difference picks the looks where chance made the interval narrow and off-centre: with the
# 95 % interval, identical code came out faster or slower in about 10 % of simulated grades.
# Stopping early on a difference therefore asks the 99 % interval to exclude 1 (about 2 %);
# the verdict that is reported still comes from the 95 % interval.
STOP_CONFIDENCE = 0.99


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
        case = _fresh_case(grading, cases, rng)
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
        _, sub_values, ref_values, _ = _scored_clock(sub, ref)
        if should_stop(sub_values, ref_values, bench.min_samples, bench.max_samples,
                       precision_for(bench.target_rse), budget_spent=time.monotonic() > deadline):
            break
    if grading.config.input_stock is not None:
        grading.config.input_stock.want(grading.question)  # the next grade's inputs, made meanwhile
    return _timing(grading, sub, ref)


def _fresh_case(grading: _Grading, cases: QuestionCases, rng: np.random.Generator) -> Case:
    """An input no runner has seen: from the stock made between grades, else made now."""
    bench = grading.spec.benchmark
    assert bench is not None
    stock = grading.config.input_stock
    key = stock_key(grading.question)
    if stock is not None and key is not None and cases.check is None:
        case = stock.take(key)
        if case is not None:
            return case
    return cases.make_inputs(bench.family, bench.size, rng)


def _check_plausible(reply: CallReply) -> None:
    from .judge import _Stop

    if reply.elapsed_ns <= 0 or reply.elapsed_ns > reply.wall_ns:
        raise _Stop(FailureVerdict(
            Status.REJECTED,
            "your process reported a call time that the judge's own clock rules out "
            f"({reply.elapsed_ns} ns inside a {reply.wall_ns} ns round trip): the timer was tampered with"))


def precision_for(target_rse: float) -> float:
    """The relative half-width the speedup interval must reach before sampling may stop.

    `target_rse` asks each median for that relative standard error; the same demand on the
    ratio is a 95 % half-width of 1.96 * sqrt(2) * target_rse (2.8 % at the default 1 %).
    It is floored at PRECISION_FLOOR: a noisy machine would spend the whole budget chasing a
    precision that changes no verdict.
    """
    return max(PRECISION_FLOOR, _RSE_TO_RATIO_HALF_WIDTH * target_rse)


def should_stop(
    submission_ms: list[float],
    reference_ms: list[float],
    min_pairs: int,
    max_pairs: int,
    precision: float,
    budget_spent: bool,
) -> bool:
    """Stop at the pair limit or the budget, or once the paired interval is precise and decisive.

    Precise: the 95 % interval's high / low is at most 1 + 2 * precision. Decisive: that
    interval lies inside the tie band (tied), or the STOP_CONFIDENCE interval calls the
    submission faster or slower. Before the sign test can bound the median at all
    (6 pairs at 95 %, 8 at 99 %) there is nothing to judge, whatever min_pairs says.
    """
    count = len(submission_ms)
    if count >= max_pairs or budget_spent:
        return True
    if count < min_pairs or sign_test_rank(count) == 0:
        return False
    estimate = paired_speedup(submission_ms, reference_ms)
    if estimate.ci_high / estimate.ci_low > 1 + 2 * precision:
        return False
    return _settled_tie(estimate) or _settled_difference(submission_ms, reference_ms)


def _settled_tie(estimate: SpeedEstimate) -> bool:
    return estimate.ci_low >= 1 / TIE_BAND and estimate.ci_high <= TIE_BAND


def _settled_difference(submission_ms: list[float], reference_ms: list[float]) -> bool:
    # Too few pairs for a 99 % interval give the observed range stretched to 1: always tied.
    return paired_speedup(submission_ms, reference_ms, STOP_CONFIDENCE).verdict != "tied"


def _scored_clock(sub: _Samples, ref: _Samples) -> tuple[str, list[float], list[float], float]:
    """The clock speed is scored from, both sides' times on it (pair i at index i), and how many
    ms per call the submission's own timer under-reports.

    Chosen after every pair, so the interval that stops sampling is the one that is reported.
    """
    excess_ms = _excess_overhead_ms(sub, ref)
    if excess_ms > OVERHEAD_SLACK_MS + OVERHEAD_SLACK_FRACTION * float(np.median(ref.runner_ms)):
        # The runner's own timer under-reports: score from the judge's clock for both sides.
        return "judge", sub.wall_ms, ref.wall_ms, excess_ms
    return "runner", sub.runner_ms, ref.runner_ms, excess_ms


def _timing(grading: _Grading, sub: _Samples, ref: _Samples) -> Timing:
    clock, sub_values, ref_values, excess_ms = _scored_clock(sub, ref)
    if clock == "judge":
        grading.notes.append(
            f"your process's own timings were {excess_ms:.2f} ms per call below the "
            "judge's clock; speed is scored from the judge's clock")
    estimate = paired_speedup(sub_values, ref_values)
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
