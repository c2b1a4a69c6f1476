"""Inputs for GELU: x float32 of any shape, and the `approximate` flag (a Python bool)."""

import math

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    shape = tuple(int(s) for s in str(size["shape"]).split("x"))
    approximate = str(size["mode"]) == "tanh"
    if family == "random":
        # float32 from the start: the speed benchmark draws fresh inputs for every call.
        x = np.clip(rng.standard_normal(shape, dtype=np.float32) * np.float32(2.0), -8.0, 8.0)
    elif family == "huge":
        # |x| from 10 to 1e30: x**3 overflows float32 above ~7e12, exp(2u) above u ~ 44.
        x = rng.choice([-1.0, 1.0], shape) * 10.0 ** rng.uniform(1, 30, shape)
    elif family == "left_tail":
        # Phi(x) is tiny here (down to 1e-33), so 1 + erf(x / sqrt 2) is a difference of
        # nearly equal numbers; the answer is a tiny negative number.
        x = rng.uniform(-14.0, -3.0, shape)
    elif family == "tiny":
        x = rng.choice([-1.0, 1.0], shape) * 10.0 ** rng.uniform(-30, -3, shape)
    else:
        raise ValueError(f"unknown family {family}")
    return Case(args=(x.astype(np.float32, copy=False), approximate))


_erf = np.frompyfunc(math.erf, 1, 1)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def gold(x: np.ndarray, approximate: bool) -> np.ndarray:
    """The exact answer in float64 (scripts/calibrate_tolerances.py)."""
    x = x.astype(np.float64)
    if approximate:
        with np.errstate(over="ignore"):
            inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)
        return 0.5 * x * (1.0 + np.tanh(inner))
    # Phi(x) = erfc(-x / sqrt 2) / 2 keeps full relative accuracy in the left tail.
    return x * 0.5 * _erfc(-x / math.sqrt(2.0)).astype(np.float64)
