"""Inputs for hessian-vector-product: f(w) = logsumexp(X w) + lam/2 |w|^2, a point w, a
direction v.

The gold answer is the analytic H v in float64, H = X^T (diag(s) - s s^T) X + lam I with
s = softmax(X w). The error allowed for element k is rtol * |gold_k| + atol * M_k, where M_k is
the same sum with every term replaced by its magnitude: the size of what any evaluation adds
up, which bounds float32 rounding however H v is computed (and may dwarf H v itself when the
terms cancel, e.g. when s is nearly one-hot).
"""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, p = int(size.get("n", 16)), int(size.get("p", 8))
    lam = float(size.get("lam", 0.1))
    X = rng.standard_normal((n, p))
    w = rng.standard_normal(p) * 0.3 / np.sqrt(p)
    v = rng.standard_normal(p)
    if family == "random":
        pass
    elif family == "peaked":  # scores X w in the thousands: exp overflows, s nearly one-hot
        w = rng.standard_normal(p) * 300.0 / np.sqrt(p)
    elif family == "flat":  # w = 0: s uniform
        w = np.zeros(p)
    elif family == "zero_direction":
        v = np.zeros(p)
    elif family == "scaled_columns":  # features on scales from 1e-2 to 1e2
        X = X * 10.0 ** rng.uniform(-2, 2, p)
        w = w / 10.0 ** rng.uniform(-2, 2, p) * 0.1
    else:
        raise ValueError(f"unknown family {family}")
    w, v, X = w.astype(np.float32), v.astype(np.float32), X.astype(np.float32)
    gold, magnitude = _gold(w, v, X, lam)
    return Case(args=(w, v, X, lam), context={"gold": gold, "magnitude": magnitude})


def _gold(w, v, X, lam):
    X64, w64, v64 = X.astype(np.float64), w.astype(np.float64), v.astype(np.float64)
    z = X64 @ w64
    s = np.exp(z - z.max())
    s /= s.sum()
    u = X64 @ v64
    gold = X64.T @ (s * u - s * (s @ u)) + lam * v64
    au = np.abs(X64) @ np.abs(v64)
    magnitude = np.abs(X64).T @ (s * au + s * (s @ au)) + abs(lam) * np.abs(v64)
    return gold, magnitude


def check(case: Case, output, expected, tolerance) -> str | None:
    gold, magnitude = case.context["gold"], case.context["magnitude"]
    if not isinstance(output, np.ndarray):
        return f"expected an array, got {type(output).__name__}"
    if output.shape != gold.shape:
        return f"expected shape {list(gold.shape)}, got {list(output.shape)}"
    out = output.astype(np.float64)
    if not np.all(np.isfinite(out)):
        where = int(np.argwhere(~np.isfinite(out))[0][0])
        return f"output[{where}] is {out[where]}; H v is finite for every test"
    err = np.abs(out - gold)
    allowed = tolerance.rtol * np.abs(gold) + tolerance.atol * magnitude
    bad = err > allowed
    if bad.any():
        k = int(np.argmax(np.where(bad, err / np.maximum(allowed, 1e-300), -1)))
        return f"output[{k}]: expected {gold[k]:.7g}, got {out[k]:.7g} (error {err[k]:.3g} > allowed {allowed[k]:.3g})"
    return None
