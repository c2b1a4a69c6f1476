"""Inputs for mixed-precision-loss-scaling: T steps of linear regression trained with float16
forward/backward passes, float32 master weights and a dynamic loss scale.

Arguments: params {"w": float32 (D, K), "b": float32 (K,)}, xs float32 (T, N, D), ys float32
(T, N, K), lr, init_scale (float powers of two) and growth_interval (int). Outputs: (params,
scales float32 (T + 1,), skipped bool (T,)).

The judge simulates the contract in `context` while drawing the batches: float16 rounding where
the contract rounds (x, the weights, the prediction, the loss gradient and the parameter
gradients), float64 everywhere else. Whether a step overflows must not hinge on rounding, so
a batch whose largest float16 gradient lands within OVERFLOW_MARGIN of the float16 limit is
drawn again: every implementation of the contract then skips exactly the same steps.
"""

import numpy as np

from workers.grading.casekit import Case

FP16_MAX = 65504.0
FP16_ROUNDS_TO_INF = 65520.0  # float16 rounds anything at or above this to inf
OVERFLOW_MARGIN = 1.25  # undecided band: [FP16_MAX / margin, FP16_ROUNDS_TO_INF * margin]
GROWTH, BACKOFF = 2.0, 0.5


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    steps, n, d, k = (int(s) for s in str(size["shape"]).split("x"))
    lr = float(size.get("lr", 1e-3))
    init_scale = float(size["init_scale"])
    interval = int(size["interval"])
    spikes = _spike_steps(family, steps, rng)
    weight_scale = float(size.get("weight_scale", 1.0))
    w = (weight_scale * rng.choice([-1.0, 1.0], (d, k)) * rng.uniform(1.0, 2.0, (d, k))).astype(np.float32)
    b = (0.5 * rng.standard_normal(k)).astype(np.float32)
    # The data's own linear model is unrelated to the starting weights, so residuals stay O(1)
    # over the whole run and every step's gradient is the same size.
    teacher_w = rng.standard_normal((d, k)) * weight_scale
    teacher_b = rng.standard_normal(k)
    sim = _Simulation(w, b, lr, init_scale, interval)
    xs, ys = [], []
    for step in range(steps):
        x, y = _decided_batch(sim, rng, n, teacher_w, teacher_b, spike=spikes.get(step))
        xs.append(x)
        ys.append(y)
    args = ({"w": w, "b": b}, np.stack(xs), np.stack(ys), lr, init_scale, interval)
    return Case(args=args, context={"gold": sim.result()})


def _spike_steps(family: str, steps: int, rng: np.random.Generator) -> dict[int, str]:
    """Which steps carry a spike, and of which kind: a huge target (the float32 loss is finite,
    the float16 gradient is not) or a huge input (inf already in the float16 forward pass)."""
    if family in ("ceiling", "initial_overflow"):
        return {}
    if family != "spikes":
        raise ValueError(f"unknown family {family}")
    count = max(2, steps // 8)
    chosen = sorted(rng.choice(np.arange(1, steps - 1), size=count - 1, replace=False).tolist())
    chosen.append(chosen[0] + 1)  # two overflows in a row: the scale backs off twice
    return {int(s): ("target", "input")[i % 2] for i, s in enumerate(sorted(set(chosen)))}


def _decided_batch(sim, rng, n, teacher_w, teacher_b, spike):
    d, k = teacher_w.shape
    for _ in range(1000):
        x = rng.standard_normal((n, d))
        y = x @ teacher_w + teacher_b + 0.1 * rng.standard_normal((n, k))
        if spike == "target":
            # Far enough beyond the float16 range at the current scale, whatever it is.
            size = 8.0 * FP16_ROUNDS_TO_INF * n * k / (2.0 * sim.scale) * rng.uniform(1.0, 4.0)
            y[rng.integers(n), rng.integers(k)] = rng.choice([-1.0, 1.0]) * size
        elif spike == "input":
            x[rng.integers(n), rng.integers(d)] = rng.choice([-1.0, 1.0]) * rng.uniform(1e5, 1e6)
        x, y = x.astype(np.float32), y.astype(np.float32)
        if sim.try_step(x, y):
            return x, y
    raise RuntimeError("no batch with a clear-cut overflow decision")


class _Simulation:
    """The contract, step by step: float16 where it rounds, float64 elsewhere."""

    def __init__(self, w: np.ndarray, b: np.ndarray, lr: float, scale: float, interval: int) -> None:
        self.w, self.b = w.astype(np.float64), b.astype(np.float64)
        self.lr, self.scale, self.interval = lr, scale, interval
        self.good_steps = 0
        self.scales, self.skipped = [scale], []

    def try_step(self, x: np.ndarray, y: np.ndarray) -> bool:
        """Take the step and return True, or return False (state untouched) when float16
        overflow of this batch's gradients would be decided by rounding."""
        grads = self._fp16_grads(x, y)
        if grads is None:
            return False
        grad_w, grad_b = grads
        overflow = not (np.isfinite(grad_w).all() and np.isfinite(grad_b).all())
        if overflow:
            self.scale *= BACKOFF
            self.good_steps = 0
        else:
            self.w -= self.lr * (grad_w / self.scale)
            self.b -= self.lr * (grad_b / self.scale)
            self.good_steps += 1
            if self.good_steps == self.interval:
                self.scale *= GROWTH
                self.good_steps = 0
        self.skipped.append(overflow)
        self.scales.append(self.scale)
        return True

    def _fp16_grads(self, x, y):
        with np.errstate(over="ignore", invalid="ignore"):
            x16 = _fp16(x)
            # Rounded twice, as the frameworks do: the matmul's result, then the bias add.
            pred = _fp16(_fp16(x16 @ _fp16(self.w)) + _fp16(self.b))
            if not np.isfinite(pred).all():
                return np.array([np.nan]), np.array([np.nan])  # inf in the forward pass
            # d(scale * mean((pred - y)^2)) / d pred, rounded into the float16 backward pass.
            exact_d_pred = 2.0 * (pred - y) * self.scale / y.size
            exact_w = x16.T @ _fp16(exact_d_pred)
            exact_b = _fp16(exact_d_pred).sum(axis=0)
            largest = max(np.abs(exact_d_pred).max(), np.abs(exact_w).max(), np.abs(exact_b).max())
            if FP16_MAX / OVERFLOW_MARGIN <= largest <= FP16_ROUNDS_TO_INF * OVERFLOW_MARGIN:
                return None
            return _fp16(exact_w), _fp16(exact_b)

    def result(self):
        params = {"w": self.w, "b": self.b}
        return params, np.array(self.scales), np.array(self.skipped, dtype=bool)


def _fp16(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64).astype(np.float16).astype(np.float64)


def check(case: Case, output, expected, tolerance) -> str | None:
    """The scale trajectory and the skipped steps exactly; the master weights against the
    simulated run, elementwise: |got - gold| <= atol + rtol * |gold|."""
    gold_params, gold_scales, gold_skipped = case.context["gold"]
    if not isinstance(output, tuple | list) or len(output) != 3:
        return "return a tuple (params, scales, skipped)"
    params, scales, skipped = output
    if not isinstance(params, dict) or set(params) != {"w", "b"}:
        return "params must be a dict with keys 'w' and 'b'"
    # Non-finite weights first: they explain every later step that then goes wrong.
    for name in ("w", "b"):
        problem = _check_finite(name, params[name], gold_params[name])
        if problem:
            return problem
    problem = _check_trajectory(scales, skipped, gold_scales, gold_skipped)
    if problem:
        return problem
    for name in ("w", "b"):
        problem = _check_master(name, params[name], gold_params[name], tolerance)
        if problem:
            return problem
    return None


def _check_finite(name, actual, wanted) -> str | None:
    if not isinstance(actual, np.ndarray) or actual.dtype != np.float32 or actual.shape != wanted.shape:
        return f"params[{name!r}] must be float32 of shape {list(wanted.shape)}, got {_describe(actual)}"
    if not np.isfinite(actual).all():
        return f"params[{name!r}] holds NaN or inf: an overflowing step must leave the weights untouched"
    return None


def _check_trajectory(scales, skipped, gold_scales, gold_skipped) -> str | None:
    if not isinstance(skipped, np.ndarray) or skipped.dtype != np.bool_ or skipped.shape != gold_skipped.shape:
        return f"skipped must be a bool array of shape {list(gold_skipped.shape)}, got {_describe(skipped)}"
    if not isinstance(scales, np.ndarray) or scales.dtype != np.float32 or scales.shape != gold_scales.shape:
        return f"scales must be a float32 array of shape {list(gold_scales.shape)}, got {_describe(scales)}"
    for step in range(len(gold_skipped)):
        if bool(skipped[step]) != bool(gold_skipped[step]):
            wanted = "skipped (its float16 gradients overflow)" if gold_skipped[step] else "taken"
            return f"step {step} at scale {gold_scales[step]:g} should be {wanted}"
        if scales[step + 1] != gold_scales[step + 1]:
            return (
                f"after step {step} the scale should be {gold_scales[step + 1]:g}, got {scales[step + 1]:g} "
                f"(it was {gold_scales[step]:g}; the step was {'skipped' if gold_skipped[step] else 'taken'})"
            )
    if scales[0] != gold_scales[0]:
        return f"scales[0] must be the initial scale {gold_scales[0]:g}, got {scales[0]:g}"
    return None


def _check_master(name, actual, wanted, tolerance) -> str | None:
    got = actual.astype(np.float64)
    diff = np.abs(got - wanted)
    allowed = tolerance.atol + tolerance.rtol * np.abs(wanted)
    if (diff > allowed).any():
        where = np.unravel_index(int(np.argmax(diff / allowed)), diff.shape)
        return (
            f"params[{name!r}]{[int(i) for i in where]}: expected {wanted[where]:.7g}, got {got[where]:.7g} "
            f"(error {diff[where]:.3g} > allowed {allowed[where]:.3g})"
        )
    return None


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype} of shape {list(value.shape)}"
    return type(value).__name__
