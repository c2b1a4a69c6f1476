import numpy as np

from workers.grading.stats import median_rse, speedup_interval


def test_identical_distributions_are_tied() -> None:
    rng = np.random.default_rng(0)
    a = list(10 + rng.normal(0, 0.5, 50))
    b = list(10 + rng.normal(0, 0.5, 50))
    estimate = speedup_interval(a, b)
    assert estimate.ci_low < 1 < estimate.ci_high
    assert estimate.verdict == "tied"


def test_clearly_faster_submission_is_faster() -> None:
    rng = np.random.default_rng(1)
    submission = list(5 + rng.normal(0, 0.1, 30))
    reference = list(10 + rng.normal(0, 0.1, 30))
    estimate = speedup_interval(submission, reference)
    assert estimate.verdict == "faster"
    assert 1.9 < estimate.speedup < 2.1
    assert estimate.ci_low <= estimate.speedup <= estimate.ci_high


def test_clearly_slower_submission_is_slower() -> None:
    estimate = speedup_interval([20.0, 21, 19, 20, 22], [10.0, 10.5, 9.5, 10, 11])
    assert estimate.verdict == "slower"


def test_median_rse_shrinks_with_more_samples_and_ignores_outliers() -> None:
    rng = np.random.default_rng(2)
    few = list(10 + rng.normal(0, 1, 10))
    many = list(10 + rng.normal(0, 1, 1000))
    assert median_rse(many) < median_rse(few)
    assert median_rse(many + [1e6] * 5) < 0.01
    assert median_rse([1.0, 2.0]) == float("inf")
