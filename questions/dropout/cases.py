"""Inputs for dropout, and a statistical check of the output.

The randomness arrives as `rng = {"seed": int, "key_data": uint32[2]}`: PyTorch solutions seed a
torch.Generator with rng["seed"], JAX solutions build a key from rng["key_data"]. Masks are never
compared with the reference's (different algorithms draw different masks); instead the check
infers the mask from the output and tests it: every entry is 0 or x / (1 - p), the number kept is
within 6 standard deviations of its binomial mean, neighbouring entries are not correlated, and
the same randomness gives the same mask while different randomness gives a different one.

The last two need two tests: the first "same_rng" test of a grade stores its mask here, and later
ones compare against it. The module is loaded afresh for every grade, so nothing leaks between
grades.
"""

import numpy as np

from workers.grading.casekit import Case

SIGMAS = 6.0
SCALE_RTOL = 1e-6
_shared: dict = {}


def _new_rng(rng: np.random.Generator) -> dict:
    # Seeds below 2**31, so that a jitted JAX function can take the (unused) int as an int32.
    return {"seed": int(rng.integers(0, 2**31 - 1)),
            "key_data": rng.integers(0, 2**32, 2, dtype=np.uint64).astype(np.uint32)}


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    shape = tuple(int(s) for s in str(size["shape"]).split("x"))
    p = float(size["p"])
    x = rng.standard_normal(shape).astype(np.float32)
    context = {"p": p}
    if family == "random":
        randomness = _new_rng(rng)
    elif family == "with_zeros":
        x[rng.random(shape) < 0.3] = 0.0
        randomness = _new_rng(rng)
    elif family in ("same_rng", "other_rng"):
        # Tests of these families share one randomness per grade (drawn by the first of them).
        base = _shared.setdefault("rng", _new_rng(rng))
        if family == "same_rng":
            randomness = {"seed": base["seed"], "key_data": base["key_data"].copy()}
        else:
            other = base["key_data"].copy()
            other[1] ^= np.uint32(1)
            randomness = {"seed": base["seed"] ^ 1, "key_data": other}
        context["shared"] = family
    else:
        raise ValueError(f"unknown family {family}")
    return Case(args=(x, p, randomness), context=context)


def _agreement_problem(a: np.ndarray, b: np.ndarray, p: float, what: str) -> str | None:
    """Kept/dropped agreement between paired entries that should be independent."""
    if a.size < 100 or p in (0.0, 1.0):
        return None
    expected = p * p + (1 - p) * (1 - p)
    rate = float(np.mean(a == b))
    bound = SIGMAS * np.sqrt(expected * (1 - expected) / a.size)
    if abs(rate - expected) > bound + 1e-12:
        return (f"{what} agree (both kept or both dropped) {100 * rate:.2f} % of the time; "
                f"independent entries would agree {100 * expected:.2f} % +- {100 * bound:.2f} %")
    return None


def check(case: Case, output, expected, tolerance) -> str | None:
    x, p, _ = case.args
    if not isinstance(output, np.ndarray):
        return f"expected an array, got {type(output).__name__}"
    if output.shape != x.shape:
        return f"expected shape {list(x.shape)}, got {list(output.shape)}"
    y = output.astype(np.float64)
    if not np.isfinite(y).all():
        return "the output contains NaN or inf"
    if (y[x == 0] != 0).any():
        return "entries where x is 0 must stay 0"
    nonzero = x != 0
    kept = (y != 0) & nonzero
    if p >= 1.0:
        return None if not kept.any() else "p = 1 drops everything: the output must be all zeros"
    scaled = x.astype(np.float64) / (1.0 - p)
    wrong = kept & (np.abs(y - scaled) > SCALE_RTOL * np.abs(scaled))
    if wrong.any():
        i = tuple(int(v) for v in np.argwhere(wrong)[0])
        return (f"output{list(i)} = {y[i]:.7g} for x = {x[i]:.7g}: a kept entry must be x / (1 - p) "
                f"= {scaled[i]:.7g} (inverted dropout scales at training time)")
    n, k = int(nonzero.sum()), int(kept.sum())
    if p == 0.0:
        return None if k == n else f"p = 0 must keep every entry, but {n - k} were dropped"
    mean, sd = n * (1 - p), np.sqrt(n * p * (1 - p))
    if abs(k - mean) > SIGMAS * sd + 1:
        return (f"kept {k} of {n} entries ({100 * k / n:.2f} %); with p = {p:g} about "
                f"{100 * (1 - p):.2f} % +- {100 * SIGMAS * sd / n:.2f} % should be kept")
    mask = np.where(nonzero, kept, False)
    both = nonzero[..., 1:] & nonzero[..., :-1]
    problem = _agreement_problem(mask[..., 1:][both], mask[..., :-1][both], p,
                                 "neighbouring entries along the last axis")
    if problem is None and x.ndim >= 2:
        both = nonzero[1:] & nonzero[:-1]
        problem = _agreement_problem(mask[1:][both], mask[:-1][both], p, "entries in neighbouring rows")
    if problem is not None:
        return problem
    return _shared_problem(case, mask, p)


def _shared_problem(case: Case, mask: np.ndarray, p: float) -> str | None:
    role = case.context.get("shared")
    if role is None:
        return None
    if role == "same_rng":
        first = _shared.setdefault("mask", mask)
        if first is not mask and (first.shape != mask.shape or (first != mask).any()):
            return ("the same seed / key gave a different mask: all randomness must come from the "
                    "given seed (a torch.Generator) or key, never from global random state")
        return None
    first = _shared.get("mask")
    if first is None or first.shape != mask.shape:
        return None
    return _agreement_problem(mask.ravel(), first.ravel(), p, "masks for different seeds / keys")
