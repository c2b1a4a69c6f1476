"""Inputs for the int8 quantized matmul: x float32 (batch, in), w float32 (out, in). Sizes are
"batch x in x out". The output is float32 (batch, out)."""

import numpy as np

from workers.grading.casekit import Case

# How far from a rounding tie (x / scale at k + 0.5) every generated value is kept, except in
# the "ties" family where the ties are exact. float32 x / scale and x * (127 / max) differ by
# an ulp or two (1e-5 at 127), so any sensible float32 computation of the quotient rounds the
# same way and the integer part of the answer is exact.
TIE_MARGIN = 2e-3


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    batch, inner, out = (int(s) for s in str(size["shape"]).split("x"))
    if family == "random":
        x = rng.standard_normal((batch, inner)) * rng.uniform(0.5, 4.0, (batch, 1))
        w = rng.standard_normal((out, inner)) * rng.uniform(0.2, 2.0, (out, 1)) / np.sqrt(inner)
    elif family == "outliers":
        # LLM-style outliers: a few entries 20-100x the rest of their row. One scale for the
        # whole tensor would crush every other row to a handful of levels.
        x = rng.standard_normal((batch, inner))
        w = rng.standard_normal((out, inner)) / np.sqrt(inner)
        for a in (x, w):
            rows = rng.random(a.shape[0]) < 0.3
            cols = rng.integers(0, inner, a.shape[0])
            a[rows, cols[rows]] *= rng.uniform(20, 100, int(rows.sum()))
    elif family == "zero_rows":
        x = rng.standard_normal((batch, inner))
        w = rng.standard_normal((out, inner)) / np.sqrt(inner)
        w[rng.random(out) < 0.25] = 0.0
        x[rng.random(batch) < 0.25] = 0.0
        w[0], x[0] = 0.0, 0.0  # at least one of each
    elif family == "positive":
        # All-positive data: every product adds up, so the int32 sums reach ~1.7e7 at in = 4096,
        # far past int16 (32767).
        x = rng.uniform(0.0, 1.0, (batch, inner))
        w = rng.uniform(0.0, 1.0, (out, inner))
    elif family == "ties":
        # Power-of-two scales and values at exact halves: round half to even is tested exactly.
        x, w = _ties(rng, batch, inner), _ties(rng, out, inner)
        return Case(args=(x.astype(np.float32), w.astype(np.float32)))
    else:
        raise ValueError(f"unknown family {family}")
    return Case(args=(_away_from_ties(x.astype(np.float32)), _away_from_ties(w.astype(np.float32))))


def _ties(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    scale = 2.0 ** rng.integers(-9, -3, (rows, 1))
    values = (rng.integers(-127, 127, (rows, cols)) + 0.5) * scale
    values[:, 0] = rng.choice([-127.0, 127.0], rows) * scale[:, 0]  # the row's max |value|
    return values


def _away_from_ties(a: np.ndarray) -> np.ndarray:
    """Moves the rare values whose quotient by the row's scale lies within TIE_MARGIN of a
    rounding tie to TIE_MARGIN on the same side (the row's max, at exactly 127, stays)."""
    scale = np.abs(a).max(axis=1, keepdims=True) / np.float32(127)
    safe = np.where(scale == 0, np.float32(1), scale)
    t = np.abs(a / safe).astype(np.float64)
    below = np.floor(t)
    offset = t - below - 0.5
    near = np.abs(offset) < TIE_MARGIN
    fixed = (below + 0.5 + np.where(offset < 0, -TIE_MARGIN, TIE_MARGIN)) * np.sign(a) * safe
    return np.where(near, fixed, a).astype(np.float32)


def gold(x, w):
    """The exact answer (scripts/calibrate_tolerances.py): integer products summed exactly,
    dequantized in float64 from the float32 scales."""
    qx, sx = _quantize(x)
    qw, sw = _quantize(w)
    return (qx @ qw.T).astype(np.float64) * sx.astype(np.float64) * sw.astype(np.float64).T


def _quantize(a):
    scale = np.abs(a).max(axis=1, keepdims=True) / np.float32(127)
    q = np.clip(np.round(a / np.where(scale == 0, np.float32(1), scale)), -127, 127)
    return q.astype(np.int64), scale
