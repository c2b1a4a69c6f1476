"""Inputs for RMS norm: x float32 or float16 (..., d), weight of the same dtype (d,), eps float."""

import numpy as np

from workers.grading.casekit import Case
from workers.grading.compare import compare_trees
from workers.grading.spec import Tolerance

# float16 outputs are rounded to 11 significant bits (relative step 2^-10 ~ 9.8e-4); two
# correct float32-accumulating methods can land one float16 step apart (more with Llama's
# extra rounding before the weight), so float16 outputs get the question's tolerance times
# 200: rtol 2e-3, about two float16 steps.
FLOAT16_FACTOR = 200.0


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    shape = tuple(int(s) for s in str(size["shape"]).split("x"))
    dtype = np.dtype(str(size.get("dtype", "float32")))
    eps = float(size.get("eps", 1e-6))
    rows = (*shape[:-1], 1)
    if family == "random":
        # float32 from the start: the speed benchmark draws fresh inputs for every call.
        x = rng.standard_normal(shape, dtype=np.float32) * rng.uniform(0.3, 3.0, rows).astype(np.float32)
    elif family == "large_activations":
        # Outlier-sized activations (100 to 2000) in float16: squares overflow float16 above 256.
        x = rng.standard_normal(shape) * rng.uniform(100.0, 2000.0, rows)
    elif family == "small_values":
        # |x| ~ 1e-4: mean(x^2) ~ 1e-8 sits below eps, and in float16 the squares underflow to 0.
        x = rng.standard_normal(shape) * 1e-4
    elif family == "zero_rows":
        x = rng.standard_normal(shape)
        x[rng.random(rows[:-1]) < 0.5] = 0.0
    else:
        raise ValueError(f"unknown family {family}")
    weight = 1.0 + 0.3 * rng.standard_normal(shape[-1])
    return Case(args=(x.astype(dtype, copy=False), weight.astype(dtype), eps))


def check(case: Case, output, expected, tolerance) -> str | None:
    """float32 outputs: the question's tolerance; float16 outputs: about two float16 steps."""
    chosen = tolerance
    if expected.dtype == np.float16:
        chosen = Tolerance(rtol=tolerance.rtol * FLOAT16_FACTOR, atol=tolerance.atol * FLOAT16_FACTOR)
    result = compare_trees(output, expected, chosen)
    return None if result.passed else result.message


def gold(x: np.ndarray, weight: np.ndarray, eps: float) -> np.ndarray:
    """The exact answer in float64 (scripts/calibrate_tolerances.py)."""
    x64 = x.astype(np.float64)
    return x64 / np.sqrt((x64 * x64).mean(axis=-1, keepdims=True) + eps) * weight.astype(np.float64)
