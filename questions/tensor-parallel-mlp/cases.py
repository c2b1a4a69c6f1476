"""Inputs for a tensor-parallel MLP: x float32 (B, D), w1 (D, F), b1 (F,), w2 (F, D), b2 (D,),
g float32 (B, D) the upstream gradient, and the device count. Sizes are "B x D x F" with F a
multiple of the device count. Outputs (y, grad_x, grad_w1, grad_b1, grad_w2, grad_b2), float32,
shaped like (g, x, w1, b1, w2, b2).

The expected answer is the single-device MLP's forward and backward pass in float64: splitting
the layers across devices must not change it."""

import numpy as np

from workers.grading.casekit import Case, compare_scaled_outputs

DEVICES = 4  # matches [runtime] host_devices in question.toml
OUTPUTS = ("y", "grad_x", "grad_w1", "grad_b1", "grad_w2", "grad_b2")


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    if family != "random":
        raise ValueError(f"unknown family {family}")
    b, d, f = (int(s) for s in str(size["shape"]).split("x"))
    # float32 from the start: the speed benchmark draws fresh inputs for every call. Pre-
    # activations have unit scale, so GELU works in its curved part, and b2 is as large as the
    # rest of y, so a bias added once per device shows.
    x = rng.standard_normal((b, d), dtype=np.float32)
    w1 = rng.standard_normal((d, f), dtype=np.float32) / np.float32(np.sqrt(d))
    b1 = np.float32(0.5) * rng.standard_normal(f, dtype=np.float32)
    w2 = rng.standard_normal((f, d), dtype=np.float32) / np.float32(np.sqrt(f))
    b2 = rng.standard_normal(d, dtype=np.float32)
    g = rng.standard_normal((b, d), dtype=np.float32)
    return Case(args=(x, w1, b1, w2, b2, g, DEVICES))


def _gelu_and_slope(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = np.sqrt(2.0 / np.pi)
    inner = c * (z + 0.044715 * z**3)
    t = np.tanh(inner)
    slope = 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * c * (1.0 + 3 * 0.044715 * z**2)
    return 0.5 * z * (1.0 + t), slope


def gold(x, w1, b1, w2, b2, g, num_devices):
    """The single-device MLP in float64, forward and backward of L = sum(y * g), by hand."""
    x, w1, b1, w2, b2, g = (a.astype(np.float64) for a in (x, w1, b1, w2, b2, g))
    pre = x @ w1 + b1
    h, slope = _gelu_and_slope(pre)
    y = h @ w2 + b2
    d_pre = (g @ w2.T) * slope
    return y, d_pre @ w1.T, x.T @ d_pre, d_pre.sum(axis=0), h.T @ g, g.sum(axis=0)


def check(case: Case, output, expected, tolerance) -> str | None:
    """Each output on its own scale: an entry may be off by rtol (|gold| + max|gold| / 10)."""
    wanted = gold(*case.args)
    return compare_scaled_outputs(OUTPUTS, output, wanted, [0.1 * np.abs(w).max() for w in wanted], tolerance)
