"""Inputs for adamw-step: parameters, a few steps of gradients, and AdamW's moment estimates.

Outputs are checked against a float64 gold computed here (kept in `context`). The second
moment is on the scale of grad**2, which can be 1e-18 for tiny gradients, so the absolute part
of the tolerance is taken relative to each output array's largest gold value.
"""

import numpy as np

from workers.grading.casekit import Case

SHAPES = {"w1": (48, 32), "b1": (32,), "w2": (32, 10), "b2": (10,)}
OUTPUTS = ("new_params", "new_exp_avg", "new_exp_avg_sq")


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    steps = int(size.get("steps", 1))
    width = int(size.get("width", 1))
    start = int(size.get("start", 0))
    shapes = {k: tuple(s * width for s in v) for k, v in SHAPES.items()}
    if family == "scalar_param":
        shapes["temperature"] = ()
    hp = {
        "lr": float(size.get("lr", 1e-3)),
        "beta1": float(size.get("beta1", 0.9)),
        "beta2": float(size.get("beta2", 0.999)),
        "eps": float(size.get("eps", 1e-8)),
        "weight_decay": float(size.get("weight_decay", 1e-2)),
    }
    grad_scale = float(size.get("grad_scale", 1.0))
    params = {k: rng.standard_normal(s) * 0.5 for k, s in shapes.items()}
    grads = {k: rng.standard_normal((steps, *s)) * grad_scale * rng.uniform(0.2, 2.0)
             for k, s in shapes.items()}
    if family == "zero_grads":
        grads["b2"] = np.zeros_like(grads["b2"])  # a parameter that gets no gradient
    if start > 0:  # resuming: moment estimates from earlier training
        exp_avg = {k: rng.standard_normal(s) * 0.1 * grad_scale for k, s in shapes.items()}
        exp_avg_sq = {k: rng.uniform(0.5, 2.0, s) * grad_scale**2 for k, s in shapes.items()}
    else:
        exp_avg = {k: np.zeros(s) for k, s in shapes.items()}
        exp_avg_sq = {k: np.zeros(s) for k, s in shapes.items()}
    if family == "zero_grads":
        exp_avg["b2"], exp_avg_sq["b2"] = np.zeros_like(params["b2"]), np.zeros_like(params["b2"])
    if family not in ("random", "zero_grads", "scalar_param"):
        raise ValueError(f"unknown family {family}")
    params, grads, exp_avg, exp_avg_sq = (_cast(t, np.float32) for t in (params, grads, exp_avg, exp_avg_sq))
    gold = reference_float64(params, grads, exp_avg, exp_avg_sq, start, **hp)
    args = (params, grads, exp_avg, exp_avg_sq, start, hp["lr"], hp["beta1"], hp["beta2"],
            hp["eps"], hp["weight_decay"])
    return Case(args=args, context={"gold": gold})


def _cast(tree: dict, dtype) -> dict:
    return {k: np.asarray(v, dtype=dtype) for k, v in tree.items()}


def reference_float64(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    """torch.optim.AdamW (amsgrad=False) in float64, from the float32 inputs."""
    p, m, v = (_cast(t, np.float64) for t in (params, exp_avg, exp_avg_sq))
    steps = next(iter(grads.values())).shape[0]
    for i in range(steps):
        t = step + i + 1
        for k in p:
            g = grads[k][i].astype(np.float64)
            p[k] = p[k] * (1 - lr * weight_decay)
            m[k] = beta1 * m[k] + (1 - beta1) * g
            v[k] = beta2 * v[k] + (1 - beta2) * g * g
            m_hat = m[k] / (1 - beta1**t)
            v_hat = v[k] / (1 - beta2**t)
            p[k] = p[k] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return _cast(p, np.float64), _cast(m, np.float64), _cast(v, np.float64)


def _compare(name: str, got, want: np.ndarray, rtol: float, atol: float) -> str | None:
    if not isinstance(got, np.ndarray):
        return f"{name}: expected an array, got {type(got).__name__}"
    if got.shape != want.shape:
        return f"{name}: expected shape {list(want.shape)}, got {list(got.shape)}"
    got = got.astype(np.float64)
    if not np.isfinite(got).all():
        return f"{name}: contains NaN or inf"
    scale = float(np.abs(want).max()) if want.size else 0.0
    allowed = rtol * np.abs(want) + atol * scale
    diff = np.abs(got - want)
    if (diff > allowed).any():
        where = np.unravel_index(int(np.argmax(diff - allowed)), diff.shape)
        index = [int(i) for i in where]
        return (f"{name}{index}: expected {want[where]:.8g}, got {got[where]:.8g} (error "
                f"{diff[where]:.3g} > allowed {allowed[where]:.3g}: rtol={rtol:g}, plus atol={atol:g} "
                f"times the largest magnitude in this array, {scale:.3g})")
    return None


def check(case: Case, output, expected, tolerance) -> str | None:
    if not isinstance(output, tuple | list) or len(output) != 3:
        return "return a tuple (new_params, new_exp_avg, new_exp_avg_sq)"
    for name, got, want in zip(OUTPUTS, output, case.context["gold"], strict=True):
        if not isinstance(got, dict) or set(got) != set(want):
            return f"{name}: expected a dict with keys {sorted(want)}"
        for key in want:
            problem = _compare(f"{name}[{key!r}]", got[key], want[key], tolerance.rtol, tolerance.atol)
            if problem:
                return problem
    return None
