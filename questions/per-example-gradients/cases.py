"""Inputs for per-example-gradients: a 2-layer tanh MLP's parameters, a batch, int32 labels.

The gold answer is the analytic per-example gradient in float64. The error allowed for each
element is rtol * |gold| + atol * M, where M is a first-order bound on how far a float32
evaluation of that element can drift (in units of float32's epsilon): the forward and backward
passes with every term replaced by its magnitude. It stays meaningful where values cancel to
nearly 0 (a hidden pre-activation x.w1 + b1 near 0, or p_y - 1 for a confident, correct
prediction), where a purely relative test would demand impossible precision.
"""

import numpy as np

from workers.grading.casekit import Case

KEYS = ("w1", "b1", "w2", "b2")


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    batch, d, h, c = (int(size.get(key, default)) for key, default in
                      (("batch", 8), ("d", 5), ("h", 7), ("c", 3)))
    params = {
        "w1": rng.standard_normal((d, h)) / np.sqrt(d),
        "b1": rng.standard_normal(h) * 0.1,
        "w2": rng.standard_normal((h, c)) / np.sqrt(h),
        "b2": rng.standard_normal(c) * 0.1,
    }
    x = rng.standard_normal((batch, d))
    if family == "random":
        pass
    elif family == "confident":  # logits in the hundreds to thousands: exp overflows float32
        params["w2"] = params["w2"] * 400.0
    elif family == "saturated":  # tanh saturates: most hidden gradients are exactly 0
        x = x * 50.0
    elif family == "duplicates":  # the same example several times: identical rows of output
        x[batch // 2 :] = x[: batch - batch // 2]
    else:
        raise ValueError(f"unknown family {family}")
    params = {k: v.astype(np.float32) for k, v in params.items()}
    x = x.astype(np.float32)
    y = rng.integers(0, c, batch).astype(np.int32)
    if family == "duplicates":
        y[batch // 2 :] = y[: batch - batch // 2]
    gold, magnitude = _gold(params, x, y)
    return Case(args=(params, x, y), context={"gold": gold, "magnitude": magnitude})


def _gold(params, x, y):
    w1, b1, w2, b2 = (params[k].astype(np.float64) for k in KEYS)
    x = x.astype(np.float64)
    a = np.tanh(x @ w1 + b1)
    logits = a @ w2 + b2
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    onehot = np.eye(w2.shape[1])[y]
    d2 = p - onehot
    d1 = (d2 @ w2.T) * (1 - a * a)
    gold = {"w1": np.einsum("bi,bj->bij", x, d1), "b1": d1, "w2": np.einsum("bi,bj->bij", a, d2), "b2": d2}
    # First-order forward error bounds, up to a constant times float32's epsilon: each
    # quantity's magnitude is what its float32 evaluation may be off by, relative to eps.
    mag_a = np.abs(x) @ np.abs(w1) + np.abs(b1)  # tanh is 1-Lipschitz: a inherits z's error
    mag_logits = mag_a @ np.abs(w2) + np.abs(b2)
    mag_p = p * (1 + mag_logits + (p * mag_logits).sum(axis=1, keepdims=True))
    mag_d2 = mag_p + onehot
    mag_d1 = (mag_d2 @ np.abs(w2).T) * (1 + a * a + 2 * np.abs(a) * mag_a)
    magnitude = {"w1": np.einsum("bi,bj->bij", np.abs(x), mag_d1), "b1": mag_d1,
                 "w2": np.einsum("bi,bj->bij", mag_a, mag_d2), "b2": mag_d2}
    return gold, magnitude


# Gradients below this are zero to float32 (whose normal range ends at 1.2e-38; XLA flushes
# smaller values to 0), so they may come back as 0.
UNDERFLOW = 1e-30


def check(case: Case, output, expected, tolerance) -> str | None:
    gold, magnitude = case.context["gold"], case.context["magnitude"]
    if not isinstance(output, dict) or set(output) != set(KEYS):
        return f"return a dict with the keys {list(KEYS)}"
    for key in KEYS:
        actual, want = output[key], gold[key]
        if not isinstance(actual, np.ndarray) or actual.shape != want.shape:
            shape = list(actual.shape) if isinstance(actual, np.ndarray) else type(actual).__name__
            return f"output[{key!r}]: expected shape {list(want.shape)} (batch first), got {shape}"
        out = actual.astype(np.float64)
        if not np.all(np.isfinite(out)):
            where = [int(i) for i in np.argwhere(~np.isfinite(out))[0]]
            return f"output[{key!r}]{where} is {out[tuple(where)]}; every gradient is finite"
        err = np.abs(out - want)
        allowed = tolerance.rtol * np.abs(want) + tolerance.atol * magnitude[key] + UNDERFLOW
        bad = err > allowed
        if bad.any():
            where = np.unravel_index(int(np.argmax(np.where(bad, err - allowed, -np.inf))), want.shape)
            return (f"output[{key!r}]{[int(i) for i in where]} (example {int(where[0])}): expected "
                    f"{want[where]:.7g}, got {out[where]:.7g} (error {err[where]:.3g} > allowed {allowed[where]:.3g})")
    return None
