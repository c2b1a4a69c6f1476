"""The paired speedup estimator and the stopping rule, on synthetic call times."""

from collections.abc import Callable

import numpy as np
import pytest

from workers.grading.speed import PRECISION_FLOOR, STOP_CONFIDENCE, precision_for, should_stop
from workers.grading.stats import TIE_BAND, SpeedEstimate, paired_speedup, sign_test_rank

MIN_PAIRS, MAX_PAIRS = 7, 200  # the Benchmark defaults
PRECISION = precision_for(0.01)  # the default target_rse
# The fewest pairs whose STOP_CONFIDENCE interval can exclude 1: the earliest a difference can stop.
FIRST_DIFFERENCE_STOP = next(n for n in range(1, 50) if sign_test_rank(n, STOP_CONFIDENCE) > 0)

PairDraw = Callable[[np.random.Generator], tuple[float, float]]  # -> (submission ms, reference ms)


def sample_until_stop(draw: PairDraw, seed: int) -> tuple[int, SpeedEstimate]:
    """Feed pairs to the stopping rule one at a time, as measure_speed does; the budget never runs out."""
    rng = np.random.default_rng(seed)
    submission: list[float] = []
    reference: list[float] = []
    while True:
        sub_ms, ref_ms = draw(rng)
        submission.append(sub_ms)
        reference.append(ref_ms)
        if should_stop(submission, reference, MIN_PAIRS, MAX_PAIRS, PRECISION, budget_spent=False):
            return len(submission), paired_speedup(submission, reference)


def noisy_pair(sub_ms: float, ref_ms: float, noise: float, drift: float = 0.0) -> PairDraw:
    """Log-normal noise per call, times a log-normal load factor shared by both calls of a pair."""

    def draw(rng: np.random.Generator) -> tuple[float, float]:
        load = float(np.exp(rng.normal(0, drift)))
        sub_noise, ref_noise = np.exp(rng.normal(0, noise, 2))
        return sub_ms * load * float(sub_noise), ref_ms * load * float(ref_noise)

    return draw


@pytest.mark.parametrize(("pairs", "rank"), [(3, 0), (5, 0), (6, 1), (10, 2), (20, 6), (30, 10), (100, 40)])
def test_sign_test_rank_matches_binomial_tables(pairs: int, rank: int) -> None:
    # Published 95 % order-statistic intervals for the median: n=6 -> [x(1), x(6)], n=10 ->
    # [x(2), x(9)], n=20 -> [x(6), x(15)], n=30 -> [x(10), x(21)], n=100 -> [x(40), x(61)].
    assert sign_test_rank(pairs) == rank


def test_estimate_is_the_median_log_ratio_and_its_interval_brackets_it() -> None:
    reference = [10.0, 12, 9, 11, 10, 30, 10.5, 9.5, 10, 11]
    submission = [5.0, 6, 4.5, 5.5, 5, 2, 5.25, 4.75, 5, 5.5]  # pair 5 is an outlier (ratio 15)
    estimate = paired_speedup(submission, reference)
    assert estimate.speedup == pytest.approx(2.0)  # eight of ten ratios are exactly 2
    assert estimate.ci_low <= estimate.speedup <= estimate.ci_high
    assert estimate.ci_high < 15  # rank 2 of 10 drops the outlying pair
    assert estimate.verdict == "faster"


def test_log_ratio_makes_the_figure_symmetric() -> None:
    rng = np.random.default_rng(3)
    a = list(10 * np.exp(rng.normal(0, 0.2, 25)))
    b = list(10 * np.exp(rng.normal(0, 0.2, 25)))
    forward, backward = paired_speedup(a, b), paired_speedup(b, a)
    assert forward.speedup * backward.speedup == pytest.approx(1.0)
    assert forward.ci_low * backward.ci_high == pytest.approx(1.0)


def test_too_few_pairs_for_an_interval_stay_tied_and_never_stop_early() -> None:
    submission, reference = [5.0, 5.1, 4.9], [10.0, 10.1, 9.9]  # three pairs, all 2x faster
    estimate = paired_speedup(submission, reference)
    assert estimate.verdict == "tied"
    assert estimate.ci_low == 1.0
    assert estimate.ci_high == pytest.approx(9.9 / 4.9)  # the observed range, reaching 1
    assert not should_stop(submission, reference, 3, MAX_PAIRS, PRECISION, budget_spent=False)


def test_unmatched_or_empty_pairs_are_refused() -> None:
    with pytest.raises(ValueError):
        paired_speedup([1.0, 2.0], [1.0])
    with pytest.raises(ValueError):
        paired_speedup([], [])


def test_precision_maps_the_median_target_onto_the_ratio_floored_at_the_tie_band() -> None:
    assert precision_for(0.01) == pytest.approx(PRECISION_FLOOR)  # 2.8 % would be finer than the floor
    assert precision_for(0.05) == pytest.approx(1.96 * 2**0.5 * 0.05)


def test_tie_stops_early_once_inside_the_band() -> None:
    count, estimate = sample_until_stop(noisy_pair(10.0, 10.0, noise=0.05, drift=0.2), seed=0)
    assert MIN_PAIRS <= count < 60
    assert estimate.verdict == "tied"
    assert estimate.ci_low < 1 < estimate.ci_high
    assert estimate.ci_low >= 1 / TIE_BAND and estimate.ci_high <= TIE_BAND


def test_clear_win_stops_as_soon_as_a_difference_can_be_called() -> None:
    assert FIRST_DIFFERENCE_STOP == MIN_PAIRS + 1  # 8 pairs: 2 / 2**8 is within the 0.5 % tail
    count, estimate = sample_until_stop(noisy_pair(5.0, 10.0, noise=0.02), seed=1)
    assert count == FIRST_DIFFERENCE_STOP
    assert estimate.verdict == "faster"
    assert estimate.speedup == pytest.approx(2.0, rel=0.03)
    assert estimate.ci_high / estimate.ci_low <= 1 + 2 * PRECISION


def test_clear_loss_stops_as_soon_as_a_difference_can_be_called() -> None:
    count, estimate = sample_until_stop(noisy_pair(20.0, 10.0, noise=0.02), seed=2)
    assert count == FIRST_DIFFERENCE_STOP
    assert estimate.verdict == "slower"
    assert estimate.speedup == pytest.approx(0.5, rel=0.03)


def test_identical_code_is_rarely_called_faster_or_slower() -> None:
    # Stopping on the first look that calls a difference would favour chance deviations; the
    # stricter stopping interval keeps false calls near the nominal rate of a single look.
    draw = noisy_pair(10.0, 10.0, noise=0.05, drift=0.2)
    verdicts = [sample_until_stop(draw, seed)[1].verdict for seed in range(200)]
    assert verdicts.count("tied") >= 0.95 * len(verdicts)


def test_a_small_real_difference_is_a_tie() -> None:
    # Every ratio is about 1.02: the interval excludes 1 but sits inside the tie band, so the
    # verdict is a tie (a 2 % difference is within what two runners of the same code show)
    # and sampling stops.
    submission = [10.0, 10.01, 9.99, 10.0, 10.02, 9.98, 10.0]
    reference = [v * 1.02 for v in submission]
    estimate = paired_speedup(submission, reference)
    assert estimate.ci_low > 1 and estimate.ci_high <= TIE_BAND
    assert estimate.verdict == "tied"
    assert should_stop(submission, reference, MIN_PAIRS, MAX_PAIRS, PRECISION, budget_spent=False)


def test_outside_the_band_and_clear_of_one_is_a_difference() -> None:
    assert SpeedEstimate(1.10, 1.02, 1.2).verdict == "faster"
    assert SpeedEstimate(1.04, 1.02, 1.06).verdict == "tied"
    assert SpeedEstimate(0.90, 0.8, 0.98).verdict == "slower"
    assert SpeedEstimate(0.97, 0.95, 0.99).verdict == "tied"
    assert SpeedEstimate(1.20, 0.99, 1.4).verdict == "tied"


def test_decisive_but_imprecise_win_keeps_sampling() -> None:
    # 2x faster under 12 % noise per call: the interval clears 1 at once but is too wide to report.
    count, estimate = sample_until_stop(noisy_pair(5.0, 10.0, noise=0.12), seed=4)
    assert MIN_PAIRS < count < MAX_PAIRS
    assert estimate.verdict == "faster"
    assert estimate.ci_high / estimate.ci_low <= 1 + 2 * PRECISION


def test_heavy_noise_runs_to_the_pair_limit_and_reports_a_wide_tie() -> None:
    # Calls that vary by a factor of two: no interval inside the tie band is reachable in
    # 200 pairs, so sampling goes on to the limit and the figure honestly stays "tied".
    count, estimate = sample_until_stop(noisy_pair(10.0, 10.0, noise=0.6), seed=5)
    assert count == MAX_PAIRS
    assert estimate.verdict == "tied"
    assert estimate.ci_high / estimate.ci_low > 1 + 2 * PRECISION


def test_spent_budget_stops_at_once() -> None:
    assert should_stop([5.0, 9.0], [10.0, 4.0], MIN_PAIRS, MAX_PAIRS, PRECISION, budget_spent=True)
    assert not should_stop([5.0, 9.0], [10.0, 4.0], MIN_PAIRS, MAX_PAIRS, PRECISION, budget_spent=False)


def test_shared_drift_cancels_in_pairs() -> None:
    # The machine's load swings by +-30 % between pairs; the per-call noise is 1 %.
    draw = noisy_pair(2.0, 3.0, noise=0.01, drift=0.3)
    count, estimate = sample_until_stop(draw, seed=6)
    assert count == FIRST_DIFFERENCE_STOP
    assert estimate.speedup == pytest.approx(1.5, rel=0.02)
    assert estimate.ci_low <= 1.5 <= estimate.ci_high

    paired_errors, unpaired_errors, unpaired_widths = [], [], []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        pairs = [draw(rng) for _ in range(15)]
        submission, reference = [p[0] for p in pairs], [p[1] for p in pairs]
        paired_errors.append(abs(np.log(paired_speedup(submission, reference).speedup / 1.5)))
        unpaired_errors.append(abs(np.log(np.median(reference) / np.median(submission) / 1.5)))
        # The same times with the pairing broken: the drift is no longer cancelled.
        shuffled = paired_speedup(list(rng.permutation(submission)), reference)
        unpaired_widths.append(shuffled.ci_high / shuffled.ci_low)
    assert np.mean(paired_errors) < 0.5 * np.mean(unpaired_errors)
    assert np.median(unpaired_widths) > 1 + 2 * PRECISION


def test_order_statistic_interval_covers_the_true_median_at_95_percent() -> None:
    # Skewed, heavy-tailed log ratios (exponential), shifted so the true median speedup is 1.3:
    # the sign-test interval needs no symmetry or normality to reach its nominal coverage.
    true_log_median = np.log(1.3)
    covered = 0
    for seed in range(400):
        rng = np.random.default_rng(seed)
        log_ratios = true_log_median + rng.exponential(0.2, 30) - 0.2 * np.log(2)
        submission = list(np.exp(rng.normal(0, 0.1, 30)))
        reference = list(np.asarray(submission) * np.exp(log_ratios))
        estimate = paired_speedup(submission, reference)
        covered += estimate.ci_low <= 1.3 <= estimate.ci_high
    # Exact coverage at n=30 is 1 - 2 P(B <= 9) = 95.7 %; 400 seeds leave about +-1 % of noise.
    assert 0.93 <= covered / 400 <= 0.99
