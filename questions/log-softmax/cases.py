"""Inputs for log-softmax: float32 logits of shape (..., n), finite or -inf."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    shape = tuple(int(d) for d in size["shape"].split("x"))
    if family == "random":
        # float32 from the start: the speed benchmark draws fresh inputs for every call.
        x = rng.standard_normal(shape, dtype=np.float32) * np.float32(3.0)
    elif family == "huge":
        x = rng.uniform(-1e4, 1e4, shape)
    elif family == "wide_spread":
        # One row maximum near 0 and the rest up to 600 below it: their softmax underflows
        # float32 (exp(-104) is below the smallest subnormal), their log-softmax does not.
        x = rng.uniform(-600.0, 0.0, shape)
    elif family == "very_negative":
        x = -1e4 + rng.standard_normal(shape)
    elif family == "mixed_scale":
        scales = 10.0 ** rng.uniform(-3, 3, (*shape[:-1], 1))
        x = rng.standard_normal(shape) * scales
    elif family == "masked":
        # About a third of the entries are -inf (masked out); every row keeps at least one
        # finite entry, except roughly one row in eight, which is masked entirely.
        x = rng.standard_normal(shape) * 3.0
        x[rng.random(shape) < 0.35] = -np.inf
        rows = x.reshape(-1, shape[-1])
        keep = rng.integers(0, shape[-1], rows.shape[0])
        rows[np.arange(rows.shape[0]), keep] = rng.standard_normal(rows.shape[0])
        rows[rng.random(rows.shape[0]) < 0.125] = -np.inf
        if rows.shape[0] > 1:
            rows[-1] = -np.inf  # at least one fully masked row in every test
    else:
        raise ValueError(f"unknown family {family}")
    return Case(args=(np.ascontiguousarray(x, dtype=np.float32),))


def check(case: Case, output, expected, tolerance) -> str | None:
    """Elementwise, with an allowance that grows with the row's largest |logit|.

    Any float32 method rounds x - max or x - logsumexp at the scale of the logits themselves:
    computing x - lse with |x| ~ 1e4 errs by ~1e-3 even where the answer is -5. That error is
    float32's, not the method's, so the allowance is atol + rtol * (|expected| + max_row |x|).
    """
    if not isinstance(output, np.ndarray) or output.shape != expected.shape:
        shape = getattr(output, "shape", type(output).__name__)
        return f"expected an array of shape {list(expected.shape)}, got {shape}"
    actual, wanted = output.astype(np.float64), expected.astype(np.float64)
    for name, is_kind in (("NaN", np.isnan), ("-inf", np.isneginf), ("inf", np.isposinf)):
        bad = np.argwhere(is_kind(actual) != is_kind(wanted))
        if bad.size:
            where = tuple(int(i) for i in bad[0])
            return f"output{list(where)}: {name} pattern differs (expected {wanted[where]}, got {actual[where]})"
    x = case.args[0].astype(np.float64)
    row_scale = np.where(np.isfinite(x), np.abs(x), 0.0).max(axis=-1, keepdims=True)
    finite = np.isfinite(wanted)
    with np.errstate(invalid="ignore"):  # -inf - -inf where both are -inf: masked out below
        diff = np.where(finite, np.abs(actual - wanted), 0.0)
    allowed = tolerance.atol + tolerance.rtol * (np.abs(wanted) + row_scale)
    over = diff > allowed
    if over.any():
        where = np.unravel_index(int(np.argmax(np.where(over, diff / allowed, 0.0))), diff.shape)
        index = [int(i) for i in where]
        return (f"output{index}: expected {wanted[where]:.7g}, got {actual[where]:.7g} (error {diff[where]:.3g} > "
                f"allowed {allowed[where]:.3g} = atol + rtol * (|expected| + largest |x| in the row))")
    return None


def gold(x: np.ndarray) -> np.ndarray:
    """The exact answer in float64 (scripts/calibrate_tolerances.py); -inf for masked rows."""
    x = x.astype(np.float64)
    m = x.max(axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        lse = np.log(np.exp(x - m).sum(axis=-1, keepdims=True))
    return np.where(np.isneginf(lse), -np.inf, x - m - lse)
