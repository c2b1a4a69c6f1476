"""Inputs for dp-sgd-step: one DP-SGD step on a linear model with squared error.

Arguments: params {"w": float32 (d, k), "b": float32 (k,)}, x float32 (batch, d), y float32
(batch, k), noise {"w", "b"} standard normal float32 of the parameters' shapes, and the Python
floats lr, clip_norm C and noise_multiplier sigma. Outputs: (new_params, noisy_grad), dicts
with the same keys, shapes and dtype as params.

Each example's loss is 0.5 * ||x_i w + b - y_i||^2, so with r_i = x_i w + b - y_i its gradient
is (outer(x_i, r_i), r_i), and its norm is taken over both parameters together. The clip factor
is min(1, C / (norm_i + EPS)); noisy_grad = (sum_i factor_i g_i + sigma C noise) / batch and
new_params = params - lr * noisy_grad.

The noise is an input, so the step is deterministic and compared exactly with a float64 gold.
The allowance for each element scales with the sum of the absolute terms that make it
(float32 rounds a sum relative to its terms): M = (sum_i factor_i |g_i| + sigma C |noise|) /
batch for the gradient, |params| + lr M for the new parameters; allowed = atol + rtol (|gold|
+ M).
"""

import numpy as np

from workers.grading.casekit import Case, compare_scaled

EPS = 1e-6
KEYS = ("w", "b")


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    batch, d, k = (int(s) for s in str(size["shape"]).split("x"))
    lr, clip_norm, sigma = float(size["lr"]), float(size["C"]), float(size["sigma"])
    w = rng.standard_normal((d, k)) / np.sqrt(d)
    b = rng.standard_normal(k) * 0.5
    x = rng.standard_normal((batch, d))
    y = rng.standard_normal((batch, k))
    # Examples of different sizes, so that some gradients are clipped and others are not.
    x *= rng.uniform(0.05, 2.0, (batch, 1))
    if family == "random":
        pass
    elif family == "tiny":  # gradient norms around EPS: the epsilon in the clip factor matters
        b, x, y = b * 1e-6, x * 1e-6, y * 1e-6
    elif family == "zero_examples":  # x_i = 0 and y_i = b: the gradient is exactly 0 in float32
        zero = rng.random(batch) < 0.3
        zero[0] = True
        x[zero] = 0.0
        y[zero] = b.astype(np.float32)
    else:
        raise ValueError(f"unknown family {family}")
    params = {"w": w.astype(np.float32), "b": b.astype(np.float32)}
    noise = {key: rng.standard_normal(value.shape).astype(np.float32) for key, value in params.items()}
    args = (params, x.astype(np.float32), y.astype(np.float32), noise, lr, clip_norm, sigma)
    gold_out, scale = gold_with_scale(*args)
    return Case(args=args, context={"gold": gold_out, "scale": scale})


def gold(params, x, y, noise, lr, clip_norm, sigma):
    """The exact step in float64 (scripts/calibrate_tolerances.py)."""
    return gold_with_scale(params, x, y, noise, lr, clip_norm, sigma)[0]


def gold_with_scale(params, x, y, noise, lr, clip_norm, sigma):
    w, b = (params[key].astype(np.float64) for key in KEYS)
    x, y = x.astype(np.float64), y.astype(np.float64)
    n = {key: noise[key].astype(np.float64) for key in KEYS}
    r = x @ w + b - y
    grads = {"w": np.einsum("bi,bj->bij", x, r), "b": r}
    norms = np.sqrt(sum((g.reshape(len(x), -1) ** 2).sum(axis=1) for g in grads.values()))
    factor = np.minimum(1.0, clip_norm / (norms + EPS))
    batch = len(x)
    noisy, scale = {}, {}
    for key, g in grads.items():
        clipped = factor.reshape(-1, *[1] * (g.ndim - 1)) * g
        noisy[key] = (clipped.sum(axis=0) + sigma * clip_norm * n[key]) / batch
        scale[key] = (np.abs(clipped).sum(axis=0) + sigma * clip_norm * np.abs(n[key])) / batch
    new = {"w": w - lr * noisy["w"], "b": b - lr * noisy["b"]}
    new_scale = {"w": np.abs(w) + lr * scale["w"], "b": np.abs(b) + lr * scale["b"]}
    return (new, noisy), (new_scale, scale)


def check(case: Case, output, expected, tolerance) -> str | None:
    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (new_params, noisy_grad)"
    outputs = zip(("new_params", "noisy_grad"), output, case.context["gold"], case.context["scale"], strict=True)
    for name, got, want, scale in outputs:
        if not isinstance(got, dict) or set(got) != set(KEYS):
            return f"{name}: expected a dict with the keys {list(KEYS)}"
        for key in KEYS:
            problem = compare_scaled(f"{name}[{key!r}]", got[key], want[key], scale[key], tolerance)
            if problem:
                return problem
    return None
