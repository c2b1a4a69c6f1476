"""Inputs for linear-regression: training data from a known linear model plus noise.

The judge keeps a held-out set from the same distribution in `context` and grades the returned
(w, b) by its held-out mean squared error against the least-squares optimum, which it computes
in float64 from the very float32 training data the candidate received.
"""

import numpy as np

from workers.grading.casekit import Case

# Accept a held-out MSE at most this much above the least-squares optimum's.
MAX_EXCESS = 0.01
HELD_OUT = 20_000
# Nearly every failure here is an optimisation that never converged on a badly conditioned
# problem, so the message says so rather than only reporting the gap.
CONDITIONING_HINT = (
    "features in very different units make the problem badly conditioned: standardise x "
    "(and y) and map w and b back, solve the least-squares problem in a well-conditioned "
    "form, or tune the optimiser until every feature converges"
)


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, d = int(size["n"]), int(size["d"])
    noise = float(size.get("noise", 0.5))
    scale = np.ones(d)
    offset = np.zeros(d)
    mixing = np.eye(d)
    if family == "badly_scaled":
        # Features in wildly different units (1e-2 .. 1e3) and far from zero.
        scale = 10.0 ** rng.uniform(-2.0, 3.0, d)
        offset = rng.uniform(-50.0, 50.0, d) * scale
    elif family == "correlated":
        # Strongly correlated columns: the least-squares problem is ill-conditioned.
        mixing = np.eye(d) + 0.9 * rng.standard_normal((d, d)) / np.sqrt(d)
        mixing[:, 0] = mixing[:, 1] + 0.05 * rng.standard_normal(d)
    elif family != "random":
        raise ValueError(f"unknown family {family}")
    w_true = rng.standard_normal(d) / scale
    b_true = rng.normal(0.0, 3.0) - offset @ w_true

    def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
        x = (rng.standard_normal((count, d)) @ mixing) * scale + offset
        x = x.astype(np.float32).astype(np.float64)
        signal = x @ w_true + b_true
        y = signal + noise * np.sqrt(d) * rng.standard_normal(count)
        return x, y.astype(np.float32).astype(np.float64)

    x, y = draw(n)
    x_test, y_test = draw(HELD_OUT)
    return Case(
        args=(x.astype(np.float32), y.reshape(n, 1).astype(np.float32)),
        context={"x_test": x_test, "y_test": y_test},
    )


def least_squares(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """The float64 optimum of the training MSE (centred, so the intercept is well conditioned)."""
    mean_x, mean_y = x.mean(axis=0), y.mean()
    w, *_ = np.linalg.lstsq(x - mean_x, y - mean_y, rcond=None)
    return w, float(mean_y - mean_x @ w)


def held_out_mse(case: Case, w: np.ndarray, b: float) -> float:
    residual = case.context["x_test"] @ w + b - case.context["y_test"]
    return float(np.mean(residual**2))


def check(case: Case, output, expected, tolerance) -> str | None:
    x, y = case.args
    d = x.shape[1]
    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (w, b)"
    w, b = output
    if not isinstance(w, np.ndarray) or w.shape != (d, 1):
        return f"w must have shape ({d}, 1), got {getattr(w, 'shape', type(w).__name__)}"
    if not isinstance(b, np.ndarray) or b.shape != (1,):
        return f"b must have shape (1,), got {getattr(b, 'shape', type(b).__name__)}"
    if w.dtype != np.float32 or b.dtype != np.float32:
        return f"w and b must be float32, got {w.dtype} and {b.dtype}"
    if not (np.isfinite(w).all() and np.isfinite(b).all()):
        return "w or b contains NaN or inf: training diverged (" + CONDITIONING_HINT + ")"
    w_opt, b_opt = least_squares(x.astype(np.float64), y[:, 0].astype(np.float64))
    optimum = held_out_mse(case, w_opt, b_opt)
    got = held_out_mse(case, w[:, 0].astype(np.float64), float(b[0]))
    if got > (1 + MAX_EXCESS) * optimum:
        return (f"held-out MSE {got:.6g} is {100 * (got / optimum - 1):.3g} % above the "
                f"least-squares optimum's {optimum:.6g} (at most {100 * MAX_EXCESS:g} % allowed); "
                + CONDITIONING_HINT)
    return None
