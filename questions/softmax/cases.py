"""Inputs for softmax: named families of logits, float32, shape (rows, cols)."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    rows, cols = int(size["rows"]), int(size["cols"])
    if family == "random":
        # Generated in float32 directly: the speed benchmark draws a fresh input per call.
        x = rng.standard_normal((rows, cols), dtype=np.float32)
        x *= 3.0
    elif family == "constant":
        x = np.full((rows, cols), rng.uniform(-2, 2))
    elif family == "huge":
        x = rng.uniform(-1e4, 1e4, (rows, cols))
    elif family == "very_negative":
        x = -1e4 + rng.standard_normal((rows, cols))
    elif family == "mixed_scale":
        scales = 10.0 ** rng.uniform(-3, 3, (rows, 1))
        x = rng.standard_normal((rows, cols)) * scales
    else:
        raise ValueError(f"unknown family {family}")
    return Case(args=(x.astype(np.float32, copy=False),))


def gold(x: np.ndarray) -> np.ndarray:
    """The exact answer in float64, for calibrating the tolerance (scripts/calibrate_tolerances.py)."""
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
