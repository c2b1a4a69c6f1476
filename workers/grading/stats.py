"""Timing statistics: robust centre, spread, a stopping rule and the speedup interval."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# 1.2533 = sqrt(pi/2): the standard error of a median relative to that of a mean, and
# 1.4826 turns a median absolute deviation into a standard deviation for normal noise.
_MEDIAN_SE_FACTOR = 1.2533 * 1.4826


def median_rse(samples: list[float]) -> float:
    """Relative standard error of the median, from the MAD (robust to a few outliers)."""
    values = np.asarray(samples, dtype=np.float64)
    if values.size < 3:
        return float("inf")
    centre = float(np.median(values))
    if centre <= 0:
        return float("inf")
    mad = float(np.median(np.abs(values - centre)))
    return _MEDIAN_SE_FACTOR * mad / np.sqrt(values.size) / centre


def iqr(samples: list[float]) -> float:
    q1, q3 = np.percentile(samples, [25, 75])
    return float(q3 - q1)


@dataclass(frozen=True)
class SpeedEstimate:
    speedup: float  # reference median / submission median
    ci_low: float
    ci_high: float

    @property
    def verdict(self) -> str:
        if self.ci_low > 1.0:
            return "faster"
        if self.ci_high < 1.0:
            return "slower"
        return "tied"


def speedup_interval(
    submission: list[float], reference: list[float], confidence: float = 0.95, resamples: int = 2000, seed: int = 0
) -> SpeedEstimate:
    """Bootstrap interval for the ratio of medians (reference / submission)."""
    sub = np.asarray(submission, dtype=np.float64)
    ref = np.asarray(reference, dtype=np.float64)
    rng = np.random.default_rng(seed)
    sub_medians = np.median(rng.choice(sub, (resamples, sub.size)), axis=1)
    ref_medians = np.median(rng.choice(ref, (resamples, ref.size)), axis=1)
    ratios = ref_medians / sub_medians
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(ratios, [tail, 100 - tail])
    return SpeedEstimate(float(np.median(ref) / np.median(sub)), float(low), float(high))
