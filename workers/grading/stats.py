"""Timing statistics: a robust spread and the paired speedup with a distribution-free interval."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np

CONFIDENCE = 0.95
# Speedups within 10 % of 1 either way are a tie. Two sandboxed processes running the same code
# differ by up to about 6 % (memory layout, which pairing cannot cancel): the reference graded
# against itself read 1.056 with a 95 % interval clear of 1 in 2 of 20 grades. So small a
# difference says nothing about a candidate's code.
TIE_BAND = 1.10


def iqr(samples: list[float]) -> float:
    q1, q3 = np.percentile(samples, [25, 75])
    return float(q3 - q1)


@dataclass(frozen=True)
class SpeedEstimate:
    speedup: float  # exp(median over pairs of log(reference / submission)): above 1 means faster
    ci_low: float
    ci_high: float

    @property
    def verdict(self) -> str:
        """Faster or slower only when the interval excludes 1 and the figure is outside the tie band."""
        if self.ci_low > 1.0 and self.speedup >= TIE_BAND:
            return "faster"
        if self.ci_high < 1.0 and self.speedup <= 1 / TIE_BAND:
            return "slower"
        return "tied"


@lru_cache(maxsize=4096)
def sign_test_rank(pairs: int, confidence: float = CONFIDENCE) -> int:
    """The k of the interval [r_(k), r_(n-k+1)] for a median of n values, 0 when n is too few.

    The median lies below the k-th smallest of n values exactly when at most k-1 of them fall
    below it, which happens with probability P(B <= k-1) for B ~ Binomial(n, 1/2), whatever the
    distribution (sign test). The largest k whose two tails together stay within 1 - confidence
    gives the narrowest interval that still covers the median that often. Exact in integers.
    """
    allowed_tail = (1 - confidence) / 2
    total = 2**pairs
    below = 0
    rank = 0
    for count in range(pairs):
        below += math.comb(pairs, count)
        if Fraction(below, total) > allowed_tail:
            break
        rank = count + 1
    return rank


def paired_log_ratios(submission: list[float], reference: list[float]) -> np.ndarray:
    """log(reference_i / submission_i) per pair, sorted: both calls of pair i ran on the same inputs."""
    sub = np.asarray(submission, dtype=np.float64)
    ref = np.asarray(reference, dtype=np.float64)
    if sub.size != ref.size or sub.size == 0:
        raise ValueError(f"need matched pairs, got {sub.size} submission and {ref.size} reference times")
    if np.any(sub <= 0) or np.any(ref <= 0):
        raise ValueError("call times must be positive")
    return np.sort(np.log(ref / sub))


def paired_speedup(submission: list[float], reference: list[float], confidence: float = CONFIDENCE) -> SpeedEstimate:
    """Speedup as exp(median log ratio) with the sign-test interval for that median.

    Sorting n values and one cached binomial look-up: cheap enough to redo after every pair.
    With too few pairs for the confidence asked (fewer than 6 at 95 %) no bounded interval
    exists; the range of the observed ratios, stretched to reach 1, stands in for it, so the
    verdict stays "tied" rather than claim a difference the data cannot support.
    """
    ratios = paired_log_ratios(submission, reference)
    centre = float(np.median(ratios))
    rank = sign_test_rank(ratios.size, confidence)
    if rank == 0:
        low, high = min(float(ratios[0]), 0.0), max(float(ratios[-1]), 0.0)
    else:
        low, high = float(ratios[rank - 1]), float(ratios[ratios.size - rank])
    return SpeedEstimate(math.exp(centre), math.exp(low), math.exp(high))
