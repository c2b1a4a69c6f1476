"""Inputs for a ZeRO-sharded AdamW step: params float32 (P,), grads float32 (num_devices, P)
(row r is device r's local gradient), exp_avg and exp_avg_sq float32 (P,), step an int, the
hyperparameters as Python floats, and the device count. Outputs (params, exp_avg, exp_avg_sq)
after one step, float32 (P,) each.

The expected answer is the unsharded AdamW step on the mean gradient, in float64: sharding the
optimizer must not change it, however P divides."""

import numpy as np

from workers.grading.casekit import Case, compare_scaled_outputs

DEVICES = 4  # matches [runtime] host_devices in question.toml
OUTPUTS = ("params", "exp_avg", "exp_avg_sq")
HYPER = {"lr": 1e-2, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.1}


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    p, step = int(size["P"]), int(size.get("step", 10))
    # float32 from the start: the speed benchmark draws fresh inputs for every call.
    params = rng.standard_normal(p, dtype=np.float32)
    # The devices' gradients share a signal and differ by their micro-batches' noise, so the
    # mean over devices is neither any one device's gradient nor their sum.
    signal = rng.standard_normal(p, dtype=np.float32)
    grads = signal + np.float32(0.5) * rng.standard_normal((DEVICES, p), dtype=np.float32)
    if family == "first_step":
        step, exp_avg, exp_avg_sq = 0, np.zeros(p, np.float32), np.zeros(p, np.float32)
    elif family == "random":
        exp_avg = np.float32(0.5) * rng.standard_normal(p, dtype=np.float32)
        exp_avg_sq = rng.uniform(0.1, 2.0, p).astype(np.float32)
    else:
        raise ValueError(f"unknown family {family}")
    hyper = HYPER.values()
    return Case(args=(params, grads.astype(np.float32), exp_avg, exp_avg_sq, step, *hyper, DEVICES))


def gold(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay, num_devices):
    """One unsharded AdamW step on the devices' mean gradient, in float64."""
    p, m, v = (a.astype(np.float64) for a in (params, exp_avg, exp_avg_sq))
    g = grads.astype(np.float64).mean(axis=0)
    t = step + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    p = p * (1 - lr * weight_decay) - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return p, m, v


def check(case: Case, output, expected, tolerance) -> str | None:
    """Each output on its own scale (exp_avg_sq is about grad ** 2): an entry may be off by
    rtol (|gold| + max|gold| / 50)."""
    wanted = gold(*case.args)
    return compare_scaled_outputs(OUTPUTS, output, wanted, [0.02 * np.abs(w).max() for w in wanted], tolerance)
