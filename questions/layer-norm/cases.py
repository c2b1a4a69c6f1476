"""Inputs for layer norm over the last axis: x float32 (..., d), weight and bias float32 (d,)."""

import numpy as np

from workers.grading.casekit import Case, compare_scaled

EPS = 1e-5


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    shape = tuple(int(s) for s in str(size["shape"]).split("x"))
    d = shape[-1]
    rows = (*shape[:-1], 1)
    if family == "random":
        # float32 from the start: the speed benchmark draws fresh inputs for every call.
        scale = rng.uniform(0.5, 3.0, rows).astype(np.float32)
        x = rng.standard_normal(shape, dtype=np.float32) * scale + rng.uniform(-2, 2, rows).astype(np.float32)
    elif family == "large_offset":
        # Rows centred at 1e2..1e4 with unit spread: E[x^2] - E[x]^2 cancels catastrophically.
        sign = rng.choice([-1.0, 1.0], rows)
        x = sign * 10.0 ** rng.uniform(2, 4, rows) + rng.standard_normal(shape)
    elif family == "tiny_variance":
        # Spread 1e-3 (variance 1e-6, below eps = 1e-5): where eps goes decides the answer.
        x = rng.uniform(-1, 1, rows) + 1e-3 * rng.standard_normal(shape)
    elif family == "constant_rows":
        # Multiples of 1/8: every partial sum is exact in float32, so the row mean is off by at
        # most a rounding or two whatever the summation order, and x - mean is ~0.
        x = np.broadcast_to(rng.integers(-24, 25, rows) / 8.0, shape).copy()
    else:
        raise ValueError(f"unknown family {family}")
    weight = 1.0 + 0.3 * rng.standard_normal(d)
    bias = 0.3 * rng.standard_normal(d)
    return Case(args=tuple(a.astype(np.float32, copy=False) for a in (x, weight, bias)))


def check(case: Case, output, expected, tolerance) -> str | None:
    """Elementwise, with an allowance that grows with how ill-conditioned the row is.

    Every float32 method rounds x - mean at the scale of |x|, and the division by the row's
    standard deviation magnifies that: a row at 1e4 +- 1 loses ~1e-3 whatever the method. So
    the allowance is atol + rtol * (|expected| + |weight| * max_row |x| / sqrt(var_row + eps)).
    """
    x, weight = case.args[0].astype(np.float64), case.args[1].astype(np.float64)
    condition = np.abs(x).max(axis=-1, keepdims=True) / np.sqrt(x.var(axis=-1, keepdims=True) + EPS)
    return compare_scaled("output", output, expected, np.abs(weight) * condition, tolerance)


def gold(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """The exact answer in float64 (scripts/calibrate_tolerances.py)."""
    x = x.astype(np.float64)
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight.astype(np.float64) + bias.astype(np.float64)
