"""Inputs for activation-checkpointing: a residual tanh stack, its targets and a segment size.

params {"w": float32 (L, W, W), "b": float32 (L, W)}, x and y float32 (B, W), segment_size an
int. Sizes are "LxBxW" plus the segment size k. The expected answer is computed here in float64
(`gold`: the forward pass and a hand-written backward pass) and kept in `context`.
"""

import numpy as np

from workers.grading.casekit import Case
from workers.grading.compare import compare_trees


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    layers, batch, width = (int(s) for s in str(size["shape"]).split("x"))
    segment_size = int(size["k"])
    if family != "random":
        raise ValueError(f"unknown family {family}")
    gain = float(size.get("gain", 1.0))
    # Residual branches scaled by 1 / sqrt(L), so activations and gradients stay O(1) however
    # deep the stack is.
    w = rng.standard_normal((layers, width, width), dtype=np.float32) * np.float32(gain / np.sqrt(width * layers))
    b = np.float32(0.1) * rng.standard_normal((layers, width), dtype=np.float32)
    x = rng.standard_normal((batch, width), dtype=np.float32)
    y = rng.standard_normal((batch, width), dtype=np.float32)
    params = {"w": w, "b": b}
    return Case(args=(params, x, y, segment_size), context={"gold": gold(params, x, y, segment_size)})


def gold(params, x, y, segment_size):
    """(loss, {"w": dloss/dw, "b": dloss/db}) in float64; the segment size changes nothing."""
    w, b = params["w"].astype(np.float64), params["b"].astype(np.float64)
    h = x.astype(np.float64)
    inputs, branches = [], []
    for layer in range(len(w)):
        inputs.append(h)
        branches.append(np.tanh(h @ w[layer] + b[layer]))
        h = h + branches[-1]
    diff = h - y.astype(np.float64)
    loss = np.mean(diff**2)
    grad_h = 2.0 * diff / diff.size
    grad_w, grad_b = np.empty_like(w), np.empty_like(b)
    for layer in reversed(range(len(w))):
        grad_pre = grad_h * (1.0 - branches[layer] ** 2)
        grad_w[layer] = inputs[layer].T @ grad_pre
        grad_b[layer] = grad_pre.sum(axis=0)
        grad_h = grad_h + grad_pre @ w[layer].T
    return np.array(loss), {"w": grad_w, "b": grad_b}


def check(case: Case, output, expected, tolerance) -> str | None:
    """The loss and each gradient on its own scale: |got - gold| <= rtol |gold| + atol max|gold|."""
    want_loss, want_grads = case.context["gold"]
    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (loss, grads)"
    loss, grads = output
    if not isinstance(loss, np.ndarray) or loss.shape != () or loss.dtype != np.float32:
        return f"loss must be a float32 scalar (shape ()), got {_describe(loss)}"
    if not isinstance(grads, dict) or set(grads) != {"w", "b"}:
        return "grads must be a dict with keys 'w' and 'b'"
    for name, got, want in (
        ("loss", loss, want_loss),
        ("grads['w']", grads["w"], want_grads["w"]),
        ("grads['b']", grads["b"], want_grads["b"]),
    ):
        if not isinstance(got, np.ndarray) or got.dtype != np.float32:
            return f"{name} must be float32, got {_describe(got)}"
        scaled = type(tolerance)(rtol=tolerance.rtol, atol=tolerance.atol * float(np.abs(want).max()))
        result = compare_trees(got.astype(np.float64), want, scaled, name)
        if not result.passed:
            return result.message
    return None


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype} of shape {list(value.shape)}"
    return type(value).__name__
