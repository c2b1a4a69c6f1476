"""Comparing a runner's output tree with the expected one, with a reason when they differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .spec import Tolerance


@dataclass
class Comparison:
    passed: bool
    message: str = ""
    max_abs_error: float | None = None
    max_rel_error: float | None = None


def compare_trees(actual: Any, expected: Any, tolerance: Tolerance, path: str = "output") -> Comparison:
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(actual) != set(expected):
            return Comparison(False, f"{path}: expected a dict with keys {sorted(expected)}")
        return _first_failure(
            [compare_trees(actual[k], expected[k], tolerance, f"{path}[{k!r}]") for k in expected]
        )
    if isinstance(expected, tuple | list):
        if not isinstance(actual, tuple | list) or len(actual) != len(expected):
            return Comparison(False, f"{path}: expected a tuple of {len(expected)} values")
        return _first_failure(
            [
                compare_trees(a, e, tolerance, f"{path}[{i}]")
                for i, (a, e) in enumerate(zip(actual, expected, strict=True))
            ]
        )
    if isinstance(expected, np.ndarray):
        return compare_arrays(actual, expected, tolerance, path)
    if actual != expected:
        return Comparison(False, f"{path}: expected {expected!r}, got {actual!r}")
    return Comparison(True)


def _first_failure(results: list[Comparison]) -> Comparison:
    for result in results:
        if not result.passed:
            return result
    errors = [r.max_abs_error for r in results if r.max_abs_error is not None]
    rel = [r.max_rel_error for r in results if r.max_rel_error is not None]
    return Comparison(True, "", max(errors, default=None), max(rel, default=None))


def compare_arrays(actual: Any, expected: np.ndarray, tolerance: Tolerance, path: str) -> Comparison:
    if not isinstance(actual, np.ndarray):
        return Comparison(
            False, f"{path}: expected a {expected.dtype} array of shape {list(expected.shape)}, "
            f"got {type(actual).__name__}")
    if actual.shape != expected.shape:
        return Comparison(False, f"{path}: expected shape {list(expected.shape)}, got {list(actual.shape)}")
    if expected.dtype == np.bool_ or np.issubdtype(expected.dtype, np.integer):
        mismatch = np.argwhere(actual != expected)
        if mismatch.size:
            where = tuple(int(i) for i in mismatch[0])
            return Comparison(False, f"{path}{list(where)}: expected {expected[where]}, got {actual[where]}")
        return Comparison(True, "", 0.0, 0.0)
    return _compare_floats(actual.astype(np.float64), expected.astype(np.float64), tolerance, path)


def _compare_floats(actual: np.ndarray, expected: np.ndarray, tol: Tolerance, path: str) -> Comparison:
    # NaN is never a wildcard: NaN and inf must appear exactly where the reference has them.
    actual, expected = np.atleast_1d(actual), np.atleast_1d(expected)  # argwhere skips 0-d arrays
    for name, mask_fn in (("NaN", np.isnan), ("inf", np.isposinf), ("-inf", np.isneginf)):
        bad = np.argwhere(mask_fn(actual) != mask_fn(expected))
        if bad.size:
            where = tuple(int(i) for i in bad[0])
            return Comparison(
                False,
                f"{path}{list(where)}: {name} pattern differs (expected {expected[where]}, got {actual[where]})",
            )
    finite = np.isfinite(expected)
    if not finite.any():
        return Comparison(True, "", 0.0, 0.0)
    diff = np.where(finite, np.abs(actual - expected), 0.0)
    allowed = tol.atol + tol.rtol * np.abs(expected)
    max_abs = float(diff.max())
    max_rel = float((diff / np.maximum(np.abs(expected), 1e-30))[finite].max())
    over = diff > allowed
    if over.any():
        worst = int(np.argmax(np.where(over, diff - allowed, -np.inf)))
        where = tuple(int(i) for i in np.unravel_index(worst, diff.shape))
        index = [int(i) for i in where]  # plain ints for the message
        return Comparison(
            False,
            f"{path}{index}: expected {expected[where]:.6g}, got {actual[where]:.6g} "
            f"(error {diff[where]:.3g} > allowed {allowed[where]:.3g}; rtol={tol.rtol:g}, atol={tol.atol:g})",
            max_abs,
            max_rel,
        )
    return Comparison(True, "", max_abs, max_rel)


def preview(value: Any, limit: int = 600) -> str:
    """A short, readable rendering of an argument or output for visible examples."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=40, edgeitems=3, precision=5, max_line_width=88)
        text = f"{value.dtype}{list(value.shape)} {text}"
    elif isinstance(value, tuple | list):
        text = "(" + ", ".join(preview(v, limit) for v in value) + ")"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {preview(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
