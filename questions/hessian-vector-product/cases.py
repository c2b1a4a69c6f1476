"""Inputs for hessian-vector-product: f(w) = logsumexp(X w) + lam/2 |w|^2, a point w, a
direction v.

The gold answer is the analytic H v in float64, H = X^T (diag(s) - s s^T) X + lam I with
s = softmax(X w). The error allowed for element k is rtol * |gold_k| + atol * M_k, where M_k is
the same sum with every term replaced by its magnitude: the size of what any evaluation adds
up, which bounds float32 rounding however H v is computed (and may dwarf H v itself when the
terms cancel, e.g. when s is nearly one-hot), plus S_k, how far H v moves when each score z_i
moves by its own rounding error.

S_k is needed because float32 scores are only accurate to about eps * a_i, with a_i the sum of
|X_ij w_j|, and in the peaked family a_i is in the thousands: when the two largest scores are
within a few units of each other the runner-up's share of the softmax, and so H v, shifts by far
more than M_k's rounding allows. Without S_k the float32 reference itself failed 27 of 1000
seeds of the peaked test; the first-order bound: |ds_i| <= eps * b_i with
b_i = s_i (a_i + s.a), and H v's softmax part moves by at most
|X|^T (b (|u| + |s.u|) + s (b.|u|)) times eps.
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


# S_k's weight in M_k: with atol = 2e-6 it trusts each float32 score to 2e-7 of a_i, about
# three units in the last place. Over 1500 seeds of the peaked test the float32 references and
# the accepted solutions then reach at most 0.16x the tolerance; the central difference in
# solutions/ still fails the fixed "small" example (2.8x).
SCORE_ERROR_WEIGHT = 0.1


def _gold(w, v, X, lam):
    X64, w64, v64 = X.astype(np.float64), w.astype(np.float64), v.astype(np.float64)
    z = X64 @ w64
    s = np.exp(z - z.max())
    s /= s.sum()
    u = X64 @ v64
    gold = X64.T @ (s * u - s * (s @ u)) + lam * v64
    au = np.abs(X64) @ np.abs(v64)
    rounding = np.abs(X64).T @ (s * au + s * (s @ au)) + abs(lam) * np.abs(v64)
    b = s * (np.abs(X64) @ np.abs(w64) + s @ (np.abs(X64) @ np.abs(w64)))
    score_sensitivity = np.abs(X64).T @ (b * (np.abs(u) + abs(s @ u)) + s * (b @ np.abs(u)))
    return gold, rounding + SCORE_ERROR_WEIGHT * score_sensitivity


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
