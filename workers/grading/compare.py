"""Comparing a runner's output tree with the expected one, with a reason when they differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .spec import Tolerance

COMPARE_CHUNK = 1 << 15  # elements per step: three float64 buffers of 256 KiB


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
        return _first_failure([compare_trees(actual[k], expected[k], tolerance, f"{path}[{k!r}]") for k in expected])
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
            False,
            f"{path}: expected a {expected.dtype} array of shape {list(expected.shape)}, got {type(actual).__name__}",
        )
    if actual.shape != expected.shape:
        return Comparison(False, f"{path}: expected shape {list(expected.shape)}, got {list(actual.shape)}")
    if expected.dtype == np.bool_ or np.issubdtype(expected.dtype, np.integer):
        mismatch = np.argwhere(actual != expected)
        if mismatch.size:
            where = tuple(int(i) for i in mismatch[0])
            return Comparison(False, f"{path}{list(where)}: expected {expected[where]}, got {actual[where]}")
        return Comparison(True, "", 0.0, 0.0)
    return _compare_floats(actual, expected, tolerance, path)


def _compare_floats(actual: np.ndarray, expected: np.ndarray, tol: Tolerance, path: str) -> Comparison:
    # Every timed output of a benchmark is checked, so this runs on megabytes per call: one
    # pass per step, and the slow searches (argwhere, argmax) only once something failed.
    actual, expected = np.atleast_1d(actual), np.atleast_1d(expected)
    finite = np.isfinite(expected)
    all_finite = bool(finite.all())
    if not (all_finite and np.isfinite(actual).all()):
        failure = special_values_differ(actual, expected, path)
        if failure is not None:
            return failure
        if not finite.any():
            return Comparison(True, "", 0.0, 0.0)
    max_abs, max_rel, worst, worst_excess = _float_errors(actual, expected, None if all_finite else finite, tol)
    if worst_excess > 0:
        where = tuple(int(i) for i in np.unravel_index(worst, expected.shape))
        got, want = float(actual[where]), float(expected[where])
        error, allowed = abs(got - want), tol.atol + tol.rtol * abs(want)
        return Comparison(
            False,
            f"{path}{list(where)}: expected {want:.6g}, got {got:.6g} "
            f"(error {error:.3g} > allowed {allowed:.3g}; rtol={tol.rtol:g}, atol={tol.atol:g})",
            max_abs,
            max_rel,
        )
    return Comparison(True, "", max_abs, max_rel)


def _float_errors(
    actual: np.ndarray, expected: np.ndarray, finite: np.ndarray | None, tol: Tolerance
) -> tuple[float, float, int, float]:
    """(max abs error, max rel error, flat index of the worst excess over the tolerance, that excess).

    Every timed output of a benchmark is checked, so this runs on megabytes per call. It works
    in float64 through chunk-sized buffers that stay in cache: whole-array temporaries cost a
    page fault per 4 KiB and made a 2M-element check take 57 ms instead of a few.
    """
    a, e = actual.reshape(-1), expected.reshape(-1)
    keep = finite.reshape(-1) if finite is not None else None
    size = min(COMPARE_CHUNK, a.size)
    diff_buf, scale_buf, work_buf = (np.empty(size, np.float64) for _ in range(3))
    max_abs = max_rel = 0.0
    worst, worst_excess = -1, 0.0
    for start in range(0, a.size, size):
        stop = min(start + size, a.size)
        diff, scale, work = diff_buf[: stop - start], scale_buf[: stop - start], work_buf[: stop - start]
        np.subtract(a[start:stop], e[start:stop], out=diff, dtype=np.float64)
        np.abs(diff, out=diff)
        if keep is not None:
            diff[~keep[start:stop]] = 0.0  # the same NaN/inf in both: nothing to measure there
        np.abs(e[start:stop], out=scale, dtype=np.float64)
        np.multiply(scale, tol.rtol, out=work)
        work += tol.atol
        np.subtract(diff, work, out=work)  # the excess over the allowed error
        index = int(work.argmax())
        if work[index] > worst_excess:
            worst, worst_excess = start + index, float(work[index])
        max_abs = max(max_abs, float(diff.max()))
        np.maximum(scale, 1e-30, out=scale)
        max_rel = max(max_rel, float(np.divide(diff, scale, out=scale).max()))
    return max_abs, max_rel, worst, worst_excess


def special_values_differ(actual: np.ndarray, expected: np.ndarray, path: str) -> Comparison | None:
    """NaN is never a wildcard: NaN and inf must appear exactly where the reference has them."""
    for name, mask_fn in (("NaN", np.isnan), ("inf", np.isposinf), ("-inf", np.isneginf)):
        differs = mask_fn(actual) != mask_fn(expected)
        if differs.any():
            where = tuple(int(i) for i in np.argwhere(differs)[0])
            return Comparison(
                False,
                f"{path}{list(where)}: {name} pattern differs (expected {expected[where]}, got {actual[where]})",
            )
    return None


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
