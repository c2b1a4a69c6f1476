import numpy as np

from workers.grading.compare import compare_trees, preview
from workers.grading.spec import Tolerance

TOL = Tolerance(rtol=1e-4, atol=1e-7)


def test_close_values_pass_and_report_error_sizes() -> None:
    expected = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    result = compare_trees(expected * (1 + 1e-6), expected, TOL)
    assert result.passed
    assert result.max_abs_error is not None and 0 < result.max_abs_error < 1e-5


def test_failure_names_the_index_and_values() -> None:
    expected = np.zeros((2, 3), dtype=np.float32) + 0.5
    actual = expected.copy()
    actual[1, 2] = 0.7
    result = compare_trees(actual, expected, TOL)
    assert not result.passed
    assert "[1, 2]" in result.message and "0.5" in result.message and "0.7" in result.message


def test_all_zero_output_cannot_pass_against_small_values() -> None:
    expected = np.full(10, 1e-3, dtype=np.float32)
    assert not compare_trees(np.zeros(10, dtype=np.float32), expected, TOL).passed


def test_nan_is_never_a_wildcard() -> None:
    expected = np.array([1.0, np.nan])
    assert not compare_trees(np.array([np.nan, np.nan]), expected, TOL).passed
    assert not compare_trees(np.array([1.0, 2.0]), expected, TOL).passed
    assert compare_trees(np.array([1.0, np.nan]), expected, TOL).passed


def test_infinities_must_match_in_sign() -> None:
    expected = np.array([np.inf, -np.inf])
    assert not compare_trees(np.array([-np.inf, np.inf]), expected, TOL).passed
    assert compare_trees(expected.copy(), expected, TOL).passed


def test_structure_and_shape_mismatches_are_named() -> None:
    expected = (np.zeros((2, 1)), np.zeros(1))
    assert "tuple of 2" in compare_trees(np.zeros((2, 1)), expected, TOL).message
    assert "expected shape [2, 1], got [2]" in compare_trees((np.zeros(2), np.zeros(1)), expected, TOL).message
    assert "keys" in compare_trees({"a": np.zeros(1)}, {"b": np.zeros(1)}, TOL).message


def test_integer_outputs_compare_exactly() -> None:
    expected = np.array([1, 2, 3])
    assert compare_trees(expected.copy(), expected, TOL).passed
    assert not compare_trees(np.array([1, 2, 4]), expected, TOL).passed


def test_preview_is_short() -> None:
    text = preview((np.zeros((1000, 1000), dtype=np.float32),))
    assert text.startswith("(float32[1000, 1000]") and len(text) <= 600


def test_scalar_nan_does_not_pass_against_a_finite_scalar() -> None:
    assert not compare_trees(np.array(np.nan), np.array(1.0), TOL).passed
    assert compare_trees(np.array(1.0), np.array(1.0), TOL).passed


def test_large_outputs_are_checked_across_chunks() -> None:
    """The check walks big arrays in chunks: the worst element is found in any of them, and
    matching NaNs in one chunk do not hide an error in another."""
    from workers.grading.compare import COMPARE_CHUNK

    rng = np.random.default_rng(3)
    expected = rng.standard_normal((3, COMPARE_CHUNK + 7)).astype(np.float32)
    expected[0, 5] = np.nan
    actual = expected.copy()
    assert compare_trees(actual, expected, TOL).passed
    actual[2, COMPARE_CHUNK + 3] += 0.5  # in the last, partial chunk
    actual[1, 10] += 0.01  # smaller: not the worst
    result = compare_trees(actual, expected, TOL)
    assert not result.passed
    assert f"output[2, {COMPARE_CHUNK + 3}]" in result.message
    assert result.max_abs_error is not None and abs(result.max_abs_error - 0.5) < 1e-3

