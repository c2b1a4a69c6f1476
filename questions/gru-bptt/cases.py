"""Inputs for gru-bptt: a GRU (PyTorch's gate equations) unrolled over a sequence, with the
gradients of L = sum(g * hs) by backpropagation through time.

Arguments: x float32 (T, B, D), h0 float32 (B, H), w_ih float32 (3H, D), w_hh float32 (3H, H),
b_ih float32 (3H,), b_hh float32 (3H,) (rows stacked as reset, update, new), g float32
(T, B, H). Outputs: (hs (T, B, H), h_last (B, H), grads), grads a dict with the keys of GRAD_KEYS,
each shaped like its argument; all float32.

The gold is computed here in float64, forward and backward written out (BPTT); it agrees with
torch.autograd in float64 to about 1e-15. The recurrent weights are scaled so that the
Jacobian of one step has norm below 1, so rounding errors and gradients neither explode nor
vanish over the longest sequence, and every step's contribution stays checkable.
"""

import numpy as np

from workers.grading.casekit import Case, compare_scaled

GRAD_KEYS = ("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh")


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    t, b, d, h = (int(size[k]) for k in ("T", "B", "D", "H"))
    if family not in ("random", "saturating"):
        raise ValueError(f"unknown family {family}")
    gain = 25.0 if family == "saturating" else 1.0  # gates pinned at 0 / 1, tanh at +-1
    x = rng.standard_normal((t, b, d))
    h0 = np.tanh(rng.standard_normal((b, h)))
    w_ih = rng.standard_normal((3 * h, d)) * gain / np.sqrt(d)
    w_hh = rng.standard_normal((3 * h, h)) * 0.8 / np.sqrt(h)
    b_ih = rng.standard_normal(3 * h) * 0.5
    b_hh = rng.standard_normal(3 * h) * 0.5
    g = rng.standard_normal((t, b, h))
    args = tuple(a.astype(np.float32) for a in (x, h0, w_ih, w_hh, b_ih, b_hh, g))
    return Case(args=args, context={"gold": gold(*args)})


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))  # no overflow for large |a|


def gold(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    """hs, h_last and the gradients of sum(g * hs), in float64 (scripts/calibrate_tolerances.py)."""
    x, h, w_ih, w_hh, b_ih, b_hh, g = (a.astype(np.float64) for a in (x, h0, w_ih, w_hh, b_ih, b_hh, g))
    steps = x.shape[0]
    hs, saved = np.empty((steps, *h.shape)), []
    for t in range(steps):
        a_r, a_z, a_n = np.split(x[t] @ w_ih.T + b_ih, 3, axis=1)
        h_r, h_z, h_n = np.split(h @ w_hh.T + b_hh, 3, axis=1)
        r, z = _sigmoid(a_r + h_r), _sigmoid(a_z + h_z)
        n = np.tanh(a_n + r * h_n)
        saved.append((h, r, z, n, h_n))
        h = (1.0 - z) * n + z * h
        hs[t] = h
    grads = {
        key: np.zeros_like(value)
        for key, value in (("x", x), ("h0", h), ("w_ih", w_ih), ("w_hh", w_hh), ("b_ih", b_ih), ("b_hh", b_hh))
    }
    dh = np.zeros_like(h)
    for t in reversed(range(steps)):
        h_prev, r, z, n, h_n = saved[t]
        dh = dh + g[t]
        dn = dh * (1.0 - z) * (1.0 - n * n)
        dr = dn * h_n * r * (1.0 - r)
        dz = dh * (h_prev - n) * z * (1.0 - z)
        da_in = np.concatenate([dr, dz, dn], axis=1)  # d(x w_ih^T + b_ih)
        da_hh = np.concatenate([dr, dz, dn * r], axis=1)  # d(h w_hh^T + b_hh)
        grads["x"][t] = da_in @ w_ih
        grads["w_ih"] += da_in.T @ x[t]
        grads["b_ih"] += da_in.sum(axis=0)
        grads["w_hh"] += da_hh.T @ h_prev
        grads["b_hh"] += da_hh.sum(axis=0)
        dh = dh * z + da_hh @ w_hh
    grads["h0"] = dh
    return hs, hs[-1].copy(), grads


def check(case: Case, output, expected, tolerance) -> str | None:
    """Each output against the gold with an allowance of rtol * (|gold| + max |gold| of that
    output): a gradient is a sum over every step and example, and float32 rounds it relative to
    its largest terms, not to its own (possibly cancelled) value."""
    if not isinstance(output, tuple | list) or len(output) != 3:
        return "return a tuple (hs, h_last, grads)"
    hs, h_last, grads = case.context["gold"]
    if not isinstance(output[2], dict) or set(output[2]) != set(GRAD_KEYS):
        return f"grads: expected a dict with the keys {list(GRAD_KEYS)}"
    pairs = [("hs", output[0], hs), ("h_last", output[1], h_last)]
    pairs += [(f"grads[{key!r}]", output[2][key], grads[key]) for key in GRAD_KEYS]
    for name, got, want in pairs:
        problem = compare_scaled(name, got, want, float(np.abs(want).max()), tolerance)
        if problem:
            return problem
    return None
