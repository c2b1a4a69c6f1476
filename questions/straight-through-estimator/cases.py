"""Inputs for straight-through-estimator: float32 activations x and an upstream gradient.

Every expected output is exact: y is +1 or -1 and dx is either the upstream value or 0, so the
gold answer is computed exactly in numpy and the tolerance only absorbs rounding of tricks
like x + stop_gradient(q - x) within [-1, 1].
"""

import numpy as np

from workers.grading.casekit import Case
from workers.grading.compare import compare_trees


def _shape(size: dict) -> tuple[int, ...]:
    return tuple(int(d) for d in str(size.get("shape", "4x6")).split("x"))


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    shape = _shape(size)
    x = rng.standard_normal(shape) * 1.5
    if family == "random":
        pass
    elif family == "zeros":  # exact +0.0 and -0.0 among ordinary values
        flat = x.reshape(-1)
        picks = rng.random(flat.size)
        flat[picks < 0.2] = 0.0
        flat[(picks >= 0.2) & (picks < 0.4)] = -0.0
    elif family == "boundary":  # exactly +-1 and their float32 neighbours
        choices = np.array([1.0, -1.0, np.nextafter(np.float32(1), np.float32(2)),
                            -np.nextafter(np.float32(1), np.float32(2)),
                            np.nextafter(np.float32(1), np.float32(0)),
                            -np.nextafter(np.float32(1), np.float32(0))], dtype=np.float64)
        flat = x.reshape(-1)
        picks = rng.random(flat.size) < 0.6
        flat[picks] = rng.choice(choices, int(picks.sum()))
    elif family == "large":  # outlier activations up to 1e8
        x = rng.standard_normal(shape) * 10.0 ** rng.uniform(0, 8, shape)
    else:
        raise ValueError(f"unknown family {family}")
    x = x.astype(np.float32)
    upstream = rng.standard_normal(shape).astype(np.float32)
    y = np.where(x >= 0, np.float32(1), np.float32(-1)).astype(np.float32)
    dx = np.where(np.abs(x) <= 1, upstream, np.float32(0)).astype(np.float32)
    return Case(args=(x, upstream), context={"gold": (y, dx)})


def check(case: Case, output, expected, tolerance) -> str | None:
    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (y, dx)"
    y, dx = case.context["gold"]
    for name, actual, gold in (("y", output[0], y), ("dx", output[1], dx)):
        result = compare_trees(actual, gold, tolerance, name)
        if not result.passed:
            return result.message
    return None
