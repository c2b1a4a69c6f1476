"""Inputs for training-mode batch norm: x float32 (n, c) or (n, c, h, w); per-channel weight,
bias, running_mean, running_var float32 (c,); momentum and eps Python floats."""

import numpy as np

from workers.grading.casekit import Case, compare_scaled_outputs

OUTPUTS = ("output", "running_mean", "running_var")


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    shape = tuple(int(s) for s in str(size["shape"]).split("x"))
    momentum = float(size.get("momentum", 0.1))
    eps = float(size.get("eps", 1e-5))
    c = shape[1]
    per_channel = (1, c) + (1,) * (len(shape) - 2)
    if family == "random":
        # float32 from the start: the speed benchmark draws fresh inputs for every call.
        scale = rng.uniform(0.5, 3.0, per_channel).astype(np.float32)
        x = rng.standard_normal(shape, dtype=np.float32) * scale + rng.uniform(-2, 2, per_channel).astype(np.float32)
    elif family == "large_offset":
        # Channels centred at 1e2..1e4 with unit spread: E[x^2] - E[x]^2 cancels catastrophically.
        x = rng.choice([-1.0, 1.0], per_channel) * 10.0 ** rng.uniform(2, 4, per_channel)
        x = x + rng.standard_normal(shape)
    elif family == "constant_channels":
        x = rng.standard_normal(shape)
        constant = rng.random(c) < 0.5
        # Multiples of 1/8: every partial sum is exact in float32, so the channel mean is off
        # by at most a rounding or two whatever the summation order, and x - mean is ~0.
        values = rng.integers(-24, 25, int(constant.sum())) / 8.0
        x[:, constant] = values.reshape((1, -1) + (1,) * (len(shape) - 2))
    else:
        raise ValueError(f"unknown family {family}")
    weight = 1.0 + 0.3 * rng.standard_normal(c)
    bias = 0.3 * rng.standard_normal(c)
    running_mean = rng.standard_normal(c)
    running_var = rng.uniform(0.5, 2.0, c)
    arrays = (x, weight, bias, running_mean, running_var)
    return Case(args=(*(a.astype(np.float32, copy=False) for a in arrays), momentum, eps))


def check(case: Case, output, expected, tolerance) -> str | None:
    """The normalised output with an allowance that grows with how ill-conditioned each channel
    is (float32 rounds x - mean at |x| * 6e-8, and dividing by the channel's standard deviation
    magnifies it): atol + rtol * (|y| + |w_c| * max|x_c| / sqrt(var_c + eps)). The running
    statistics elementwise: atol + rtol * |expected|."""
    if not isinstance(output, tuple | list) or len(output) != 3:
        return "return a tuple (output, new_running_mean, new_running_var)"
    x, weight = case.args[0].astype(np.float64), case.args[1].astype(np.float64)
    eps = case.args[6]
    axes = (0, *range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    condition = np.abs(x).max(axis=axes) / np.sqrt(x.var(axis=axes) + eps)
    extra = [(np.abs(weight) * condition).reshape(shape), 0.0, 0.0]
    return compare_scaled_outputs(OUTPUTS, output, expected, extra, tolerance)


def gold(x, weight, bias, running_mean, running_var, momentum, eps):
    """The exact answer in float64 (scripts/calibrate_tolerances.py)."""
    x = x.astype(np.float64)
    axes = (0, *range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = x.mean(axis=axes)
    var = ((x - mean.reshape(shape)) ** 2).mean(axis=axes)
    n = x.size // x.shape[1]
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    y = y * weight.astype(np.float64).reshape(shape) + bias.astype(np.float64).reshape(shape)
    new_mean = (1 - momentum) * running_mean.astype(np.float64) + momentum * mean
    new_var = (1 - momentum) * running_var.astype(np.float64) + momentum * var * n / (n - 1)
    return y, new_mean, new_var
