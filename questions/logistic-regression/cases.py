"""Inputs for logistic-regression: labels drawn from a known logistic model.

The judge keeps a held-out set in `context` and grades the returned (w, b) by its held-out mean
log-loss against the maximum-likelihood fit of the same training data, which it finds in float64
with a damped Newton solver. Labels are drawn at random from the model's probabilities, so the
classes overlap and the maximum-likelihood fit is finite.
"""

import numpy as np

from workers.grading.casekit import Case

# Accept a held-out log-loss at most this much above the maximum-likelihood fit's.
MAX_EXCESS = 0.01
HELD_OUT = 20_000


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, d = int(size["n"]), int(size["d"])
    strength = float(size.get("strength", 1.5))  # spread of the true logits
    scale = np.ones(d)
    offset = np.zeros(d)
    intercept = rng.normal(0.0, 0.5)
    if family == "badly_scaled":
        # Features in wildly different units (1e-2 .. 1e3), far from zero.
        scale = 10.0 ** rng.uniform(-2.0, 3.0, d)
        offset = rng.uniform(-50.0, 50.0, d) * scale
    elif family == "imbalanced":
        # About 3 % positives: the intercept carries most of the answer.
        intercept = -4.5
    elif family not in ("random", "confident"):
        raise ValueError(f"unknown family {family}")
    direction = rng.standard_normal(d)
    w_true = strength * direction / np.linalg.norm(direction) / scale
    b_true = intercept - offset @ w_true

    def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
        z = rng.standard_normal((count, d))
        if family == "confident":
            # A few samples far from the boundary: their logits reach +-20 or more, where
            # sigmoid is exactly 0 or 1 in float32.
            z[rng.random(count) < 0.03] *= 4.0
        x = (z * scale + offset).astype(np.float32).astype(np.float64)
        logits = x @ w_true + b_true
        y = (rng.random(count) < 1.0 / (1.0 + np.exp(-logits))).astype(np.float64)
        return x, y

    x, y = draw(n)
    x_test, y_test = draw(HELD_OUT)
    return Case(
        args=(x.astype(np.float32), y.astype(np.float32)),
        context={"x_test": x_test, "y_test": y_test},
    )


def mean_log_loss(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    z = x @ w + b
    # -log sigmoid(z) for positives, -log(1 - sigmoid(z)) = -log sigmoid(-z) for negatives.
    return float(np.mean(np.logaddexp(0.0, np.where(y > 0.5, -z, z))))


def maximum_likelihood(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Damped Newton on the mean log-loss, in float64, on standardised features."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    a = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    theta = np.zeros(a.shape[1])

    def loss(t: np.ndarray) -> float:
        z = a @ t
        return float(np.mean(np.logaddexp(0.0, np.where(y > 0.5, -z, z))))

    current = loss(theta)
    for _ in range(100):
        p = 0.5 * (1.0 + np.tanh(0.5 * (a @ theta)))
        grad = a.T @ (p - y) / len(y)
        hess = (a * (p * (1 - p))[:, None]).T @ a / len(y) + 1e-12 * np.eye(a.shape[1])
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-8:
            candidate = loss(theta - t * step)
            if candidate <= current:
                break
            t *= 0.5
        theta, previous, current = theta - t * step, current, candidate
        if previous - current < 1e-15 and np.abs(grad).max() < 1e-10:
            break
    w = theta[:-1] / std
    return w, float(theta[-1] - mean @ w)


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
    if not (np.isfinite(w).all() and np.isfinite(b).all()):
        return "w or b contains NaN or inf (did training diverge, or the loss produce log(0)?)"
    w_opt, b_opt = maximum_likelihood(x.astype(np.float64), y.astype(np.float64))
    x_test, y_test = case.context["x_test"], case.context["y_test"]
    optimum = mean_log_loss(x_test, y_test, w_opt, b_opt)
    got = mean_log_loss(x_test, y_test, w[:, 0].astype(np.float64), float(b[0]))
    if got > (1 + MAX_EXCESS) * optimum:
        return (f"held-out log-loss {got:.6g} is {100 * (got / optimum - 1):.3g} % above the "
                f"maximum-likelihood fit's {optimum:.6g} (at most {100 * MAX_EXCESS:g} % allowed)")
    return None
