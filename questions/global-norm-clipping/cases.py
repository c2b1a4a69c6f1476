"""Inputs for global-norm-clipping: a dict of float32 gradient arrays and a max_norm.

The gold answer is computed in float64, where neither the squares of 1e30 nor of 1e-30
overflow or underflow; `check` compares every leaf with it elementwise. Scaling a leaf by a
common factor gives every element the same relative error, so the tolerance is relative to
each element (plus a tiny term relative to the leaf's largest value, for rounding in the
candidate's own arithmetic).
"""

import numpy as np

from workers.grading.casekit import Case

# Shapes of a small MLP's gradients, and of a larger model's for the benchmark.
MLP = {"embed.weight": (50, 16), "layer1.weight": (16, 32), "layer1.bias": (32,),
       "layer2.weight": (32, 8), "layer2.bias": (8,)}


def _benchmark_shapes(size: dict) -> dict:
    width = int(size.get("width", 512))
    layers = int(size.get("layers", 4))
    shapes = {"embed.weight": (4 * width, width)}
    for i in range(layers):
        shapes[f"block{i}.attn.weight"] = (width, 3 * width)
        shapes[f"block{i}.attn.bias"] = (3 * width,)
        shapes[f"block{i}.mlp.weight"] = (width, width)
        shapes[f"block{i}.norm.scale"] = (width,)
    shapes["head.bias"] = (17,)
    return shapes


def _leaves(shapes: dict, rng: np.random.Generator, scale) -> dict:
    out = {}
    for name, shape in shapes.items():
        s = scale(name) if callable(scale) else scale
        out[name] = rng.standard_normal(shape) * s
    return out


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    max_norm = float(size.get("max_norm", 1.0))
    if family == "random":  # norm well above max_norm: clipped
        grads = _leaves(MLP, rng, 1.0)
    elif family == "below":  # norm below max_norm: returned unchanged
        grads = _leaves(MLP, rng, 1e-3)
    elif family == "zeros":
        grads = {name: np.zeros(shape) for name, shape in MLP.items()}
    elif family == "huge":  # squares overflow float32 (max 3.4e38)
        grads = _leaves(MLP, rng, lambda n: 10.0 ** rng.uniform(20, 30))
    elif family == "tiny":  # squares underflow float32 (smallest subnormal 1.4e-45)
        grads = _leaves(MLP, rng, lambda n: 10.0 ** rng.uniform(-28, -26))
        max_norm = 1e-26
    elif family == "mixed":  # one exploding layer among ordinary ones
        grads = _leaves(MLP, rng, lambda n: 1e22 if n == "layer1.weight" else 1.0)
    elif family == "odd_leaves":  # a 0-d leaf, a zero-size leaf, odd shapes
        shapes = {"temperature": (), "empty.bias": (0,), "proj.weight": (7, 13),
                  "conv.weight": (3, 5, 2, 2), "proj.bias": (13,)}
        grads = _leaves(shapes, rng, 2.0)
    elif family == "many":
        # A few distinct shapes only: eager JAX compiles every op once per new shape.
        pattern = [(3, 7), (7,), (5, 2, 3), (1,)]
        shapes = {f"p{i:02d}": pattern[i % len(pattern)] for i in range(16)}
        grads = _leaves(shapes, rng, lambda n: 10.0 ** rng.uniform(-2, 2))
    elif family == "benchmark":
        grads = _leaves(_benchmark_shapes(size), rng, 0.05)
    else:
        raise ValueError(f"unknown family {family}")
    grads = {k: np.asarray(v, dtype=np.float32) for k, v in grads.items()}
    gold_norm = np.sqrt(sum(float(np.sum(v.astype(np.float64) ** 2)) for v in grads.values()))
    scale = 1.0 if gold_norm <= max_norm else max_norm / gold_norm
    gold = {k: v.astype(np.float64) * scale for k, v in grads.items()}
    return Case(args=(grads, max_norm), context={"gold": gold, "gold_norm": gold_norm})


def _leaf_problem(name: str, actual, gold: np.ndarray, rtol: float, atol: float) -> str | None:
    if not isinstance(actual, np.ndarray):
        return f"{name}: expected an array, got {type(actual).__name__}"
    if actual.shape != gold.shape:
        return f"{name}: expected shape {list(gold.shape)}, got {list(actual.shape)}"
    a = actual.astype(np.float64)
    if not np.all(np.isfinite(a)):
        return f"{name}: contains NaN or inf (every input was finite)"
    if gold.size == 0:
        return None
    err = np.abs(a - gold)
    allowed = rtol * np.abs(gold) + atol * float(np.abs(gold).max())
    bad = err > allowed
    if bad.any():
        i = np.unravel_index(int(np.argmax(np.where(bad, err / np.maximum(allowed, 1e-300), -1))), gold.shape)
        return (f"{name}{[int(j) for j in i]}: expected {gold[i]:.7g}, got {a[i]:.7g} "
                f"(error {err[i]:.3g} > allowed {allowed[i]:.3g})")
    return None


def check(case: Case, output, expected, tolerance) -> str | None:
    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (clipped_grads, global_norm)"
    clipped, norm = output
    gold = case.context["gold"]
    if not isinstance(clipped, dict) or set(clipped) != set(gold):
        return f"clipped_grads must be a dict with the same keys as grads: {sorted(gold)}"
    problem = _leaf_problem("global_norm", norm, np.asarray(case.context["gold_norm"]), tolerance.rtol, 0.0)
    if problem:
        return problem
    for name in gold:
        problem = _leaf_problem(f"clipped_grads[{name!r}]", clipped[name], gold[name], tolerance.rtol, tolerance.atol)
        if problem:
            return problem
    return None
