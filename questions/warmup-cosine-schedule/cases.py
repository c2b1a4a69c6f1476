"""Inputs for warmup-cosine-schedule: arrays of step numbers and the schedule's settings.

The output is checked against a float64 gold computed here (kept in `context`). The absolute
part of the tolerance is relative to base_lr, the schedule's peak, so the check means the same
thing whatever the learning rate's units.
"""

import math

import numpy as np

from workers.grading.casekit import Case

INT32_MAX = 2**31 - 1


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n = int(size.get("n", 1000))
    warmup = int(size.get("warmup", 100))
    total = int(size.get("total", 1000))
    base_lr = float(size.get("base_lr", 10.0 ** rng.uniform(-4, -2)))
    min_lr = float(size.get("min_ratio", 0.1)) * base_lr
    if family == "random":
        steps = rng.integers(0, int(1.5 * total) + 1, n)
    elif family == "boundaries":
        # Every boundary and its neighbours, plus steps far past the end of the schedule.
        marks = [0, 1, 2, warmup - 1, warmup, warmup + 1, total - 1, total, total + 1,
                 2 * total, 10**9, INT32_MAX]
        steps = np.array(sorted({m for m in marks if m >= 0}))
    elif family == "tail":
        # The last steps of the cosine phase, where the schedule approaches min_lr.
        steps = rng.integers(max(total - 50, warmup), total + 5, n)
    else:
        raise ValueError(f"unknown family {family}")
    steps = steps.astype(np.int32)
    gold = schedule_float64(steps, base_lr, min_lr, warmup, total)
    return Case(args=(steps, base_lr, min_lr, warmup, total), context={"gold": gold, "peak": base_lr})


def schedule_float64(steps, base_lr, min_lr, warmup, total) -> np.ndarray:
    out = np.empty(steps.shape, dtype=np.float64)
    for i, t in enumerate(steps.tolist()):
        if t < warmup:
            out[i] = base_lr * t / warmup
        elif t < total:
            progress = (t - warmup) / (total - warmup)
            out[i] = min_lr + (base_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))
        else:
            out[i] = min_lr
    return out


def check(case: Case, output, expected, tolerance) -> str | None:
    gold, peak = case.context["gold"], case.context["peak"]
    steps = case.args[0]
    if not isinstance(output, np.ndarray):
        return f"expected an array, got {type(output).__name__}"
    if output.shape != gold.shape:
        return f"expected shape {list(gold.shape)}, got {list(output.shape)}"
    got = output.astype(np.float64)
    bad = ~np.isfinite(got)
    if bad.any():
        i = int(np.argmax(bad))
        return f"step {steps[i]}: got {got[i]} (NaN or inf)"
    allowed = tolerance.rtol * np.abs(gold) + tolerance.atol * peak
    diff = np.abs(got - gold)
    if (diff > allowed).any():
        i = int(np.argmax(diff - allowed))
        return (f"step {steps[i]}: expected {gold[i]:.9g}, got {got[i]:.9g} (error {diff[i]:.3g} > "
                f"allowed {allowed[i]:.3g}: rtol={tolerance.rtol:g}, plus atol={tolerance.atol:g} "
                f"times base_lr)")
    return None
