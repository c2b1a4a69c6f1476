"""Inputs for gradient-accumulation: a small MLP's parameters and a batch split in micro-batches.

The expected gradients come from a float64 backward pass over the whole batch at once, computed
here and kept in `context`: accumulating over micro-batches must give the full-batch gradient.
"""

import numpy as np

from workers.grading.casekit import Case
from workers.grading.compare import compare_trees

D, H, C = 12, 32, 5


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    sizes = [int(s) for s in str(size["sizes"]).split(",")]
    d, h, c = int(size.get("D", D)), int(size.get("H", H)), int(size.get("C", C))
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
    batches = tuple(
        (rng.standard_normal((n, d)).astype(np.float32), rng.integers(0, c, n).astype(np.int64))
        for n in sizes
    )
    x = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1] for b in batches])
    return Case(args=(params, batches), context={"gold": full_batch_grad_float64(params, x, y)})


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
    return {
        "w1": x.T @ d_hidden,
        "b1": d_hidden.sum(axis=0),
        "w2": hidden.T @ d_logits,
        "b2": d_logits.sum(axis=0),
    }


def check(case: Case, output, expected, tolerance) -> str | None:
    gold = case.context["gold"]
    if not isinstance(output, dict) or set(output) != set(gold):
        return f"return a dict with keys {sorted(gold)}"
    # Gradients of different parameters live on different scales: judge each on its own,
    # with the absolute tolerance relative to its largest entry.
    for key in sorted(gold):
        got, want = output[key], gold[key]
        scale = float(np.abs(want).max())
        scaled = type(tolerance)(rtol=tolerance.rtol, atol=tolerance.atol * scale)
        result = compare_trees(got, want, scaled, f"grads[{key!r}]")
        if not result.passed:
            return result.message
    return None
