"""Inputs for causal attention: q, k, v float32 (b, h, s, d) and a key padding mask, bool (b, s)
with True for real tokens, or None."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    b, h, s, d = (int(size[n]) for n in ("b", "h", "s", "d"))
    mask_kind = str(size.get("mask", "none"))
    scale = float(size.get("scale", 1.0))
    if family != "random":
        raise ValueError(f"unknown family {family}")
    # float32 from the start: the speed benchmark draws fresh inputs for every call.
    q, k, v = (rng.standard_normal((b, h, s, d), dtype=np.float32) for _ in range(3))
    # scale multiplies q and k, so scores grow as scale^2: std ~1 for scale 1, ~36 for scale 6
    # (the largest about 150).
    q, k = q * np.float32(scale), k * np.float32(scale)
    positions = np.arange(s)
    if mask_kind == "none":
        mask = None
    elif mask_kind == "right":
        # Right padding: sequence i has length lengths[i] (0 possible); later keys are padding.
        lengths = rng.integers(0, s + 1, b)
        lengths[0] = s
        mask = positions[None, :] < lengths[:, None]
    elif mask_kind == "left":
        # Left padding: the first pad[i] keys are padding, so the first pad[i] queries have no
        # key they may attend to (all earlier keys are padding).
        pad = rng.integers(1, s + 1, b)
        mask = positions[None, :] >= pad[:, None]
    elif mask_kind == "random":
        mask = rng.random((b, s)) < 0.6
    elif mask_kind == "all_true":
        mask = np.ones((b, s), dtype=bool)
    else:
        raise ValueError(f"unknown mask {mask_kind}")
    arrays = tuple(a.astype(np.float32, copy=False) for a in (q, k, v))
    return Case(args=(*arrays, None if mask is None else mask.astype(bool)))


def gold(q, k, v, key_padding_mask):
    """The exact answer in float64 (scripts/calibrate_tolerances.py); zeros for rows with no key."""
    q, k, v = (a.astype(np.float64) for a in (q, k, v))
    s, d = q.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    allowed = np.tril(np.ones((s, s), dtype=bool))[None, None]
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    scores = np.where(allowed, scores, -np.inf)
    m = scores.max(axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    p = np.exp(scores - m)
    total = p.sum(axis=-1, keepdims=True)
    return (p @ v) / np.where(total > 0, total, 1.0)
