"""Inputs for sgd-momentum-step: parameters, a few steps of gradients, momentum buffers.

Outputs are checked against a float64 gold computed here (kept in `context`), so the tolerance
measures the answer's own rounding error rather than its distance from another float32 result.
"""

import numpy as np

from workers.grading.casekit import Case
from workers.grading.compare import compare_trees

SHAPES = {"w1": (48, 32), "b1": (32,), "w2": (32, 10), "b2": (10,)}


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    steps = int(size.get("steps", 1))
    width = int(size.get("width", 1))
    shapes = {k: tuple(s * width for s in v) for k, v in SHAPES.items()}
    if family == "scalar_param":
        shapes["temperature"] = ()
    hp = {
        "lr": float(size.get("lr", 0.05)),
        "momentum": float(size.get("momentum", 0.9)),
        "weight_decay": float(size.get("weight_decay", 1e-2)),
        "nesterov": bool(size.get("nesterov", False)),
    }
    params = {k: rng.standard_normal(s) * 0.5 for k, s in shapes.items()}
    grads = {k: rng.standard_normal((steps, *s)) * rng.uniform(0.1, 2.0) for k, s in shapes.items()}
    if family == "resume":
        buffers = {k: rng.standard_normal(s) * 0.3 for k, s in shapes.items()}
    else:
        buffers = {k: np.zeros(s) for k, s in shapes.items()}
    if family not in ("random", "resume", "scalar_param"):
        raise ValueError(f"unknown family {family}")
    params, grads, buffers = (_cast(t, np.float32) for t in (params, grads, buffers))
    gold = reference_float64(params, grads, buffers, **hp)
    args = (params, grads, buffers, hp["lr"], hp["momentum"], hp["weight_decay"], hp["nesterov"])
    return Case(args=args, context={"gold": gold})


def _cast(tree: dict, dtype) -> dict:
    return {k: np.asarray(v, dtype=dtype) for k, v in tree.items()}


def reference_float64(params, grads, buffers, lr, momentum, weight_decay, nesterov):
    """torch.optim.SGD(dampening=0) semantics, in float64, from the float32 inputs."""
    params = {k: v.astype(np.float64) for k, v in params.items()}
    buffers = {k: v.astype(np.float64) for k, v in buffers.items()}
    steps = next(iter(grads.values())).shape[0]
    for t in range(steps):
        for k in params:
            g = grads[k][t].astype(np.float64) + weight_decay * params[k]
            buffers[k] = momentum * buffers[k] + g
            update = g + momentum * buffers[k] if nesterov else buffers[k]
            params[k] = params[k] - lr * update
    return _cast(params, np.float64), _cast(buffers, np.float64)


def check(case: Case, output, expected, tolerance) -> str | None:
    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (new_params, new_momentum_buffer)"
    gold = case.context["gold"]
    names = ("new_params", "new_momentum_buffer")
    for name, got, want in zip(names, output, gold, strict=True):
        result = compare_trees(got, want, tolerance, name)
        if not result.passed:
            return result.message
    return None
