"""Inputs for pairwise-distances: two float32 point sets x (n, d) and y (m, d).

The gold answer is the float64 expansion around the joint mean mu of all points, clamped at 0;
in float64 its rounding error (about 1e-16 * S_ij) is far below any float32 method's. The error
allowed for D_ij is rtol * D_ij + atol * S_ij, where S_ij = |x_i - mu|^2 + |y_j - mu|^2 is the
size of the terms any expansion of |x_i - y_j|^2 adds up: float32 cannot do better relative to
them, and an expansion around the origin instead of mu (terms |x_i|^2, far larger for points
far from the origin) fails.
"""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, m, d = int(size.get("n", 8)), int(size.get("m", 6)), int(size.get("d", 4))
    x = rng.standard_normal((n, d))
    y = rng.standard_normal((m, d))
    if family == "random":
        pass
    elif family == "offset":  # a tight cloud far from the origin
        centre = rng.uniform(500, 1500, d) * rng.choice([-1, 1], d)
        x, y = centre + x, centre + y
    elif family == "duplicates":  # some y are exact copies of some x: distance exactly 0
        pick = rng.choice(n, size=min(n, m) // 2, replace=False)
        y[: len(pick)] = x[pick]
        x, y = x * 30 + 100, y * 30 + 100
    elif family == "same_set":
        y = x.copy()
    elif family == "mixed_scale":
        x = x * 10.0 ** rng.uniform(-2, 2, (n, 1))
        y = y * 10.0 ** rng.uniform(-2, 2, (m, 1))
    else:
        raise ValueError(f"unknown family {family}")
    x, y = x.astype(np.float32), y.astype(np.float32)
    gold, scale = _gold(x, y)
    return Case(args=(x, y), context={"gold": gold, "scale": scale})


def _gold(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    mu = np.concatenate([x64, y64]).mean(axis=0)
    a, b = x64 - mu, y64 - mu
    na, nb = (a * a).sum(1), (b * b).sum(1)
    gold = np.maximum(na[:, None] + nb[None, :] - 2.0 * (a @ b.T), 0.0)
    return gold, na[:, None] + nb[None, :]


def check(case: Case, output, expected, tolerance) -> str | None:
    gold, scale = case.context["gold"], case.context["scale"]
    if not isinstance(output, np.ndarray):
        return f"expected an array, got {type(output).__name__}"
    if output.shape != gold.shape:
        return f"expected shape {list(gold.shape)}, got {list(output.shape)}"
    out = output.astype(np.float64)
    if not np.all(np.isfinite(out)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        return f"output{list(where)} is {out[where]}; every distance is finite"
    if (out < 0).any():
        where = tuple(int(i) for i in np.argwhere(out < 0)[0])
        return f"output{list(where)} = {out[where]:.3g} is negative: a squared distance is never below 0 (clamp it)"
    err = np.abs(out - gold)
    allowed = tolerance.rtol * gold + tolerance.atol * scale
    bad = err > allowed
    if bad.any():
        where = np.unravel_index(int(np.argmax(np.where(bad, err / np.maximum(allowed, 1e-300), -1))), gold.shape)
        return (f"output{[int(i) for i in where]}: expected {gold[where]:.7g}, got {out[where]:.7g} "
                f"(error {err[where]:.3g} > allowed {allowed[where]:.3g})")
    return None
