"""Inputs for embedding-bag: a float32 table, flat int32 indices, int32 bag offsets, a mode.

The gold answer is a float64 sum over each bag. A float32 sum of n terms can be off by about
n * 6e-8 times the sum of the terms' magnitudes (less for pairwise or random-order sums), so
the error allowed for each output element scales with the magnitudes summed into it, not with
the result (which may cancel to near zero). An empty bag gives exactly 0.
"""

import numpy as np

from workers.grading.casekit import Case


def _offsets(lengths: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    num, dim = int(size.get("num", 100)), int(size.get("dim", 8))
    bags, mean_len = int(size.get("bags", 10)), float(size.get("mean_len", 5))
    mode = str(size.get("mode", "sum"))
    weight = rng.standard_normal((num, dim))
    # The total number of indices is fixed by the size, so every call of one test or of the
    # benchmark has the same shapes (JAX compiles once per shape).
    total = round(bags * mean_len)
    share = rng.random(bags)
    if family == "random":
        pass
    elif family == "empty_bags":  # first, last and runs of empty bags among ordinary ones
        share[rng.random(bags) < 0.4] = 0
        share[0] = share[-1] = 0
        share[1] = 1
    elif family == "all_empty":
        total = 0
    elif family == "one_bag":
        share = np.ones(1)
    elif family == "singletons":
        total = bags
    elif family == "repeats":  # the same row several times in a bag
        pass
    elif family == "mixed_magnitude":  # rows of scale 1e4 and 1e-3 in one table
        scale = np.where(rng.random(num) < 0.5, 1e4, 1e-3)
        weight = weight * scale[:, None]
    else:
        raise ValueError(f"unknown family {family}")
    lengths = np.ones(bags, np.int64) if family == "singletons" else rng.multinomial(total, share / share.sum())
    if family == "repeats":
        indices = rng.integers(0, max(num // 10, 1), total)
    elif family == "mixed_magnitude":  # a big-row bag, then a small-row bag, alternating
        big, small = np.flatnonzero(scale > 1), np.flatnonzero(scale < 1)
        pool = np.concatenate([rng.choice(big if b % 2 == 0 else small, n) for b, n in enumerate(lengths)])
        indices = pool if total else np.zeros(0, np.int64)
    else:
        indices = rng.integers(0, num, total)
    weight = weight.astype(np.float32)
    indices = indices.astype(np.int32)
    offsets = _offsets(lengths)
    gold, magnitude = _gold(weight, indices, offsets, mode)
    return Case(args=(weight, indices, offsets, mode), context={"gold": gold, "magnitude": magnitude})


def _gold(weight, indices, offsets, mode):
    w = weight.astype(np.float64)
    bounds = np.append(offsets, len(indices))
    gold = np.zeros((len(offsets), weight.shape[1]))
    magnitude = np.zeros_like(gold)
    for b in range(len(offsets)):
        rows = w[indices[bounds[b] : bounds[b + 1]]]
        count = max(len(rows), 1) if mode == "mean" else 1
        gold[b] = rows.sum(axis=0) / count
        magnitude[b] = np.abs(rows).sum(axis=0) / count
    return gold, magnitude


def check(case: Case, output, expected, tolerance) -> str | None:
    gold, magnitude = case.context["gold"], case.context["magnitude"]
    if not isinstance(output, np.ndarray):
        return f"expected an array, got {type(output).__name__}"
    if output.shape != gold.shape:
        return f"expected shape {list(gold.shape)}, got {list(output.shape)}"
    out = output.astype(np.float64)
    if not np.all(np.isfinite(out)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        return f"output{list(where)} is {out[where]}; every expected value is finite (an empty bag gives 0)"
    err = np.abs(out - gold)
    allowed = tolerance.rtol * np.abs(gold) + tolerance.atol * magnitude
    bad = err > allowed
    if bad.any():
        where = np.unravel_index(int(np.argmax(np.where(bad, err - allowed, -np.inf))), gold.shape)
        return (f"output{[int(i) for i in where]}: expected {gold[where]:.7g}, got {out[where]:.7g} "
                f"(error {err[where]:.3g} > allowed {allowed[where]:.3g})")
    return None
