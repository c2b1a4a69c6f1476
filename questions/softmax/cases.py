"""Inputs for softmax: named families of logits, float32, shape (rows, cols)."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    rows, cols = int(size["rows"]), int(size["cols"])
    if family == "random":
        x = rng.standard_normal((rows, cols)) * 3.0
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
    return Case(args=(x.astype(np.float32),))
