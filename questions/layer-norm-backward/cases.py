"""Inputs for the LayerNorm backward pass: x float32 (n, d), gamma float32 (d,), dy float32
(n, d), eps a Python float. Outputs (dx, dgamma, dbeta), float32 of shapes (n, d), (d,), (d,)."""

import numpy as np

from workers.grading.casekit import Case, compare_scaled_outputs

OUTPUTS = ("dx", "dgamma", "dbeta")


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, d = (int(s) for s in str(size["shape"]).split("x"))
    eps = float(size.get("eps", 1e-5))
    rows = (n, 1)
    if family == "random":
        # float32 from the start: the speed benchmark draws fresh inputs for every call.
        scale = rng.uniform(0.5, 3.0, rows).astype(np.float32)
        x = rng.standard_normal((n, d), dtype=np.float32) * scale + rng.uniform(-2, 2, rows).astype(np.float32)
    elif family == "large_offset":
        # Rows centred at 1e3..1e4 with unit spread: E[x^2] - E[x]^2 cancels catastrophically.
        x = rng.choice([-1.0, 1.0], rows) * 10.0 ** rng.uniform(3, 4, rows) + rng.standard_normal((n, d))
    elif family == "tiny_variance":
        # Spread 1e-3 (variance 1e-6, below eps = 1e-5): eps dominates sqrt(var + eps).
        x = rng.uniform(-1, 1, rows) + 1e-3 * rng.standard_normal((n, d))
    else:
        raise ValueError(f"unknown family {family}")
    gamma = 1.0 + 0.3 * rng.standard_normal(d)
    # An upstream gradient with a per-row offset, so that dropping the mean(dxhat) term of dx
    # shows even when d is large.
    dy = rng.standard_normal((n, d)) + rng.uniform(-1, 1, rows)
    return Case(args=(x.astype(np.float32, copy=False), gamma.astype(np.float32), dy.astype(np.float32), eps))


def check(case: Case, output, expected, tolerance) -> str | None:
    """Each output elementwise, with an allowance that grows with how ill-conditioned a row is.

    float32 rounds x - mean at |x| * 6e-8 whatever the method, and dividing by the row's
    sqrt(var + eps) magnifies that by k = max|x_row| / sqrt(var_row + eps). So:
      dx[n, j]:   atol + rtol * (|dx| + rstd_n * k_n * max_j |dy[n, j] * gamma[j]|)
      dgamma[j]:  atol + rtol * (|dgamma| + sum_n |dy[n, j]| * k_n)
      dbeta[j]:   atol + rtol * (|dbeta| + sum_n |dy[n, j]|)
    """
    if not isinstance(output, tuple | list) or len(output) != 3:
        return "return a tuple (dx, dgamma, dbeta)"
    x, gamma, dy = (a.astype(np.float64) for a in case.args[:3])
    eps = case.args[3]
    rstd = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    k = np.abs(x).max(axis=-1, keepdims=True) * rstd
    extra = [
        rstd * k * np.abs(dy * gamma).max(axis=-1, keepdims=True),
        (np.abs(dy) * k).sum(axis=0),
        np.abs(dy).sum(axis=0),
    ]
    return compare_scaled_outputs(OUTPUTS, output, expected, extra, tolerance)


def gold(x, gamma, dy, eps):
    """The exact answer in float64 (scripts/calibrate_tolerances.py): the closed form, which
    equals autograd through F.layer_norm in float64 (checked when the question was written)."""
    x, gamma, dy = (a.astype(np.float64) for a in (x, gamma, dy))
    mean = x.mean(axis=-1, keepdims=True)
    rstd = 1.0 / np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True) + eps)
    xhat = (x - mean) * rstd
    dxhat = dy * gamma
    dx = rstd * (dxhat - dxhat.mean(axis=-1, keepdims=True) - xhat * (dxhat * xhat).mean(axis=-1, keepdims=True))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)
