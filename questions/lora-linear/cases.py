"""Inputs for a LoRA linear layer: x float32 (batch, in), W float32 (out, in), b float32
(out,), A float32 (r, in), B float32 (out, r), alpha a Python float, g float32 (batch, out).
Sizes are "batch x in x out x r". Outputs (y, W_merged, W_unmerged, grad_A, grad_B), float32
of shapes (batch, out), (out, in), (out, in), (r, in), (out, r)."""

import numpy as np

from workers.grading.casekit import Case, compare_scaled_outputs

OUTPUTS = ("y", "W_merged", "W_unmerged", "grad_A", "grad_B")


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    batch, inner, out, r = (int(s) for s in str(size["shape"]).split("x"))
    alpha = float(size["alpha"])
    scaling = alpha / r
    # float32 from the start: the speed benchmark draws fresh inputs for every call.
    x = rng.standard_normal((batch, inner), dtype=np.float32)
    w = rng.standard_normal((out, inner), dtype=np.float32) / np.float32(np.sqrt(inner))
    b = np.float32(0.1) * rng.standard_normal(out, dtype=np.float32)
    a = rng.standard_normal((r, inner), dtype=np.float32) / np.float32(np.sqrt(inner))
    if family == "random":
        # A trained adapter: B sized so that (alpha / r) * B @ A is about half of W, whatever
        # r and alpha are, so each scaling mistake shows at its own size.
        bb = rng.standard_normal((out, r), dtype=np.float32) * np.float32(0.5 / (scaling * np.sqrt(r)))
    elif family == "zero_b":
        # LoRA's initialisation: B = 0, so the layer is exactly the frozen base layer.
        bb = np.zeros((out, r), dtype=np.float32)
    else:
        raise ValueError(f"unknown family {family}")
    g = rng.standard_normal((batch, out), dtype=np.float32)
    return Case(args=(x, w, b, a, bb, alpha, g))


def check(case: Case, output, expected, tolerance) -> str | None:
    """Each output elementwise, against an allowance that scales with the sum of the absolute
    terms that make it up (float32 rounds each product and partial sum relative to those, so
    an entry that cancels to ~0 is still only as accurate as its terms):
      y:                   |x| @ (|W| + s |B| @ |A|)^T + |b|
      W_merged/unmerged:   |W| + s |B| @ |A|
      grad_A:              s (|g| @ |B|)^T @ |x|
      grad_B:              s |g|^T @ (|x| @ |A|^T)
    with s = alpha / r; allowed = atol + rtol * (|expected| + that sum).
    """
    if not isinstance(output, tuple | list) or len(output) != len(OUTPUTS):
        return "return a tuple (y, W_merged, W_unmerged, grad_A, grad_B)"
    x, w, b, a, bb = (np.abs(arr.astype(np.float64)) for arr in case.args[:5])
    alpha, g = case.args[5], np.abs(case.args[6].astype(np.float64))
    s = alpha / a.shape[0]
    weight = w + s * (bb @ a)
    scales = [x @ weight.T + b, weight, weight, s * (g @ bb).T @ x, s * g.T @ (x @ a.T)]
    return compare_scaled_outputs(OUTPUTS, output, expected, scales, tolerance)


def gold(x, W, b, A, B, alpha, g):
    """The exact answer in float64 (scripts/calibrate_tolerances.py). W_unmerged is W itself:
    exact arithmetic undoes the merge exactly."""
    x, W, b, A, B, g = (arr.astype(np.float64) for arr in (x, W, b, A, B, g))
    s = alpha / A.shape[0]
    y = x @ W.T + b + s * (x @ A.T) @ B.T
    return y, W + s * B @ A, W, s * (g @ B).T @ x, s * g.T @ (x @ A.T)
