"""Inputs for packed causal attention: q, k, v float32 (b, t, h, d) and segment_ids int32
(b, t). Each row packs several sequences as contiguous runs of ids 1, 2, 3, ... in order; a
trailing run of 0 marks padding. The output is float32 (b, t, h, d)."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    b, t, h, d = (int(size[n]) for n in ("b", "t", "h", "d"))
    scale = float(size.get("scale", 1.0))
    # float32 from the start: the speed benchmark draws fresh inputs for every call.
    q, k, v = (rng.standard_normal((b, t, h, d), dtype=np.float32) for _ in range(3))
    # scale multiplies q and k, so scores grow as scale^2: std ~1 for scale 1, ~36 for scale 6
    # (the largest about 150, past where exp overflows float32 at ~88).
    q, k = q * np.float32(scale), k * np.float32(scale)
    segments = np.stack([_row(family, t, rng) for _ in range(b)])
    return Case(args=(q, k, v, segments.astype(np.int32)))


def _row(family: str, t: int, rng: np.random.Generator) -> np.ndarray:
    """One row's segment ids: the lengths of the packed sequences, then padding (id 0)."""
    if family == "single":
        lengths = [t]
    elif family == "ones":
        lengths = [1] * t
    elif family in ("varied", "padded"):
        # Real content fills the whole row, or (padded) 50-90 % of it with the rest padding.
        content = t if family == "varied" else max(1, int(t * rng.uniform(0.5, 0.9)))
        lengths = []
        while sum(lengths) < content:
            # Mostly short documents with the odd long one; length-1 sequences included.
            lengths.append(int(min(content - sum(lengths), 1 + rng.geometric(4.0 / max(t, 4)))))
    else:
        raise ValueError(f"unknown family {family}")
    ids = np.repeat(np.arange(1, len(lengths) + 1), lengths)
    return np.concatenate([ids, np.zeros(t - ids.size, dtype=ids.dtype)])


def gold(q, k, v, segment_ids):
    """The exact answer in float64 (scripts/calibrate_tolerances.py); zeros for padding queries."""
    q, k, v = (np.swapaxes(a.astype(np.float64), 1, 2) for a in (q, k, v))  # (b, h, t, d)
    t, d = q.shape[-2], q.shape[-1]
    seg = segment_ids
    allowed = (seg[:, :, None] == seg[:, None, :]) & (seg[:, :, None] != 0)
    allowed = (allowed & np.tril(np.ones((t, t), dtype=bool)))[:, None]
    scores = np.where(allowed, q @ np.swapaxes(k, -1, -2) / np.sqrt(d), -np.inf)
    m = scores.max(axis=-1, keepdims=True)
    p = np.exp(scores - np.where(np.isfinite(m), m, 0.0))
    total = p.sum(axis=-1, keepdims=True)
    return np.swapaxes((p @ v) / np.where(total > 0, total, 1.0), 1, 2)
