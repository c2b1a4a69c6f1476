"""Inputs for data-parallel-gradients: an MLP's parameters and a batch to shard across devices.

The expected gradient is the full-batch mean-loss gradient, computed here in float64 (kept in
`context`): data parallelism must not change the answer, however the batch divides.
"""

import numpy as np

from workers.grading.casekit import Case
from workers.grading.compare import compare_trees

DEVICES = 4  # matches [runtime] host_devices in question.toml


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n = int(size["n"])
    d, h, c = int(size.get("D", 12)), int(size.get("H", 32)), int(size.get("C", 5))
    gain = 100.0 if family == "large_logits" else 1.0
    if family not in ("random", "large_logits"):
        raise ValueError(f"unknown family {family}")
    params = {
        "w1": rng.standard_normal((d, h)) / np.sqrt(d),
        "b1": rng.standard_normal(h) * 0.1,
        "w2": rng.standard_normal((h, c)) * gain / np.sqrt(h),
        "b2": rng.standard_normal(c) * 0.1,
    }
    params = {k: v.astype(np.float32) for k, v in params.items()}
    x = rng.standard_normal((n, d)).astype(np.float32)
    y = rng.integers(0, c, n).astype(np.int64)
    return Case(args=(params, x, y, DEVICES), context={"gold": full_batch_grad_float64(params, x, y)})


def full_batch_grad_float64(params: dict, x: np.ndarray, y: np.ndarray) -> dict:
    """Gradient of mean cross-entropy of tanh-MLP logits, by hand, in float64."""
    p = {k: v.astype(np.float64) for k, v in params.items()}
    x = x.astype(np.float64)
    n = len(y)
    hidden = np.tanh(x @ p["w1"] + p["b1"])
    logits = hidden @ p["w2"] + p["b2"]
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    d_logits = probs
    d_logits[np.arange(n), y] -= 1.0
    d_logits /= n
    d_hidden = (d_logits @ p["w2"].T) * (1.0 - hidden**2)
    return {"w1": x.T @ d_hidden, "b1": d_hidden.sum(axis=0), "w2": hidden.T @ d_logits,
            "b2": d_logits.sum(axis=0)}


def check(case: Case, output, expected, tolerance) -> str | None:
    gold = case.context["gold"]
    if not isinstance(output, dict) or set(output) != set(gold):
        return f"return a dict with keys {sorted(gold)}"
    # Each gradient on its own scale: the absolute tolerance is relative to its largest entry.
    for key in sorted(gold):
        scale = float(np.abs(gold[key]).max())
        scaled = type(tolerance)(rtol=tolerance.rtol, atol=tolerance.atol * scale)
        result = compare_trees(output[key], gold[key], scaled, f"grads[{key!r}]")
        if not result.passed:
            return result.message
    return None
