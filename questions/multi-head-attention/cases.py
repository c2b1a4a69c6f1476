"""Inputs for multi-head attention: query (b, lq, e), key and value (b, lk, e) float32, the
projection parameters as a dict of float32 arrays in nn.Linear layout, and num_heads."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    b, lq, lk, e, h = (int(size[n]) for n in ("b", "lq", "lk", "e", "heads"))
    scale = float(size.get("scale", 1.0))
    if family not in ("self", "cross"):
        raise ValueError(f"unknown family {family}")
    query = rng.standard_normal((b, lq, e)) * scale
    if family == "self":
        key = value = query  # self-attention: the same array three times
    else:
        key = rng.standard_normal((b, lk, e)) * scale
        value = rng.standard_normal((b, lk, e))
    params = {}
    for name in ("q", "k", "v", "o"):
        params[f"w_{name}"] = rng.standard_normal((e, e)) / np.sqrt(e)
        params[f"b_{name}"] = 0.1 * rng.standard_normal(e)
    f32 = {k: v.astype(np.float32) for k, v in params.items()}
    return Case(args=(query.astype(np.float32), key.astype(np.float32), value.astype(np.float32), f32, h))


def gold(query, key, value, params, num_heads):
    """The exact answer in float64 (scripts/calibrate_tolerances.py)."""
    p = {k: v.astype(np.float64) for k, v in params.items()}
    b, lq, e = query.shape
    lk, dh = key.shape[1], e // num_heads

    def heads(x, name, length):
        y = x.astype(np.float64) @ p[f"w_{name}"].T + p[f"b_{name}"]
        return y.reshape(b, length, num_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = heads(query, "q", lq), heads(key, "k", lk), heads(value, "v", lk)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    w = np.exp(scores - scores.max(axis=-1, keepdims=True))
    w /= w.sum(axis=-1, keepdims=True)
    merged = (w @ v).transpose(0, 2, 1, 3).reshape(b, lq, e)
    return merged @ p["w_o"].T + p["b_o"]
