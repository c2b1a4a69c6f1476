"""Inputs for tiled attention: q float32 (b, h, tq, d), k and v float32 (b, h, tk, d). The
output is float32 (b, h, tq, d)."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    b, h, tq, tk, d = (int(size[n]) for n in ("b", "h", "tq", "tk", "d"))
    scale = np.float32(size.get("scale", 1.0))
    # float32 from the start: the speed benchmark draws fresh inputs for every call.
    q = rng.standard_normal((b, h, tq, d), dtype=np.float32) * scale
    k = rng.standard_normal((b, h, tk, d), dtype=np.float32) * scale
    v = rng.standard_normal((b, h, tk, d), dtype=np.float32)
    if family == "rising":
        # Keys grow along the sequence, so each query's running maximum rises tile after tile
        # and every earlier partial sum must be rescaled by exp(old max - new max).
        k *= np.linspace(0.25, 3.0, tk, dtype=np.float32)[:, None]
    elif family != "random":
        raise ValueError(f"unknown family {family}")
    return Case(args=(q, k, v))


def gold(q, k, v):
    """The exact answer in float64 (scripts/calibrate_tolerances.py)."""
    q, k, v = (a.astype(np.float64) for a in (q, k, v))
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (weights / weights.sum(axis=-1, keepdims=True)) @ v
