"""The scaled comparison that questions' cases.py use for outputs whose error grows with their terms."""

from __future__ import annotations

import numpy as np

from workers.grading.casekit import compare_scaled, compare_scaled_outputs
from workers.grading.spec import Tolerance

TOL = Tolerance(rtol=1e-5, atol=1e-7)


def test_an_entry_that_cancels_to_zero_is_allowed_the_error_of_its_terms():
    wanted = np.array([0.0, 1.0])
    actual = np.array([3e-5, 1.0])  # 3e-5 off where the terms were ~10: float32 rounding
    assert compare_scaled("y", actual, wanted, 0.0, TOL) is not None
    assert compare_scaled("y", actual, wanted, np.array([10.0, 0.0]), TOL) is None


def test_the_reason_names_the_worst_entry_and_the_allowance():
    wanted = np.zeros((2, 3))
    actual = wanted.copy()
    actual[1, 2] = 0.5
    actual[0, 0] = 0.01
    reason = compare_scaled("grad", actual, wanted, 1.0, TOL)
    assert reason is not None and reason.startswith("grad[1, 2]: expected 0, got 0.5")
    assert "allowed 1.01e-05" in reason


def test_shape_type_and_special_values_must_match_exactly():
    wanted = np.array([1.0, np.nan, np.inf])
    assert compare_scaled("y", np.ones(2), wanted, 1e9, TOL) == "y: expected shape [3], got [2]"
    assert compare_scaled("y", [1.0, 2.0, 3.0], wanted, 1e9, TOL) == "y: expected shape [3], got list"
    reason = compare_scaled("y", np.array([1.0, 0.0, np.inf]), wanted, 1e9, TOL)
    assert reason is not None and "NaN pattern differs" in reason and reason.startswith("y[1]")


def test_outputs_are_compared_in_order_and_the_first_difference_is_reported():
    expected = (np.ones(2), np.zeros(2))
    assert compare_scaled_outputs(("a", "b"), (np.ones(2), np.zeros(2)), expected, [0.0, 0.0], TOL) is None
    reason = compare_scaled_outputs(("a", "b"), (np.ones(2), np.ones(2)), expected, [0.0, 0.0], TOL)
    assert reason is not None and reason.startswith("b[0]")
    assert compare_scaled_outputs(("a", "b"), np.ones(2), expected, [0.0, 0.0], TOL) == "return a tuple (a, b)"


def test_a_scalar_output_and_matching_infinities():
    assert compare_scaled("loss", np.array(1.0 + 1e-6), np.array(1.0), 0.0, TOL) is None
    assert compare_scaled("loss", np.array(1.1), np.array(1.0), 0.0, TOL) is not None
    both_inf = np.array([np.inf, 1.0])
    assert compare_scaled("y", both_inf.copy(), both_inf, 0.0, TOL) is None
