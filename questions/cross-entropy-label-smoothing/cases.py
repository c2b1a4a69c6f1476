"""Inputs for cross-entropy with label smoothing and ignore_index.

Arguments: logits float32 (n, c), targets int64 (n,) (int32 in JAX, which has no 64-bit
integers by default), label_smoothing (float), ignore_index (int).
"""

import numpy as np

from workers.grading.casekit import Case
from workers.grading.compare import compare_trees


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, c = int(size["n"]), int(size["c"])
    eps = float(size.get("eps", 0.1))
    ignore_index = int(size.get("ignore_index", -100))
    ignore_frac = float(size.get("ignore_frac", 0.15))
    if family in ("random", "ignored_garbage", "ignore_is_class"):
        # float32 from the start: the speed benchmark draws fresh inputs for every call.
        logits = rng.standard_normal((n, c), dtype=np.float32) * np.float32(2.0)
    elif family == "huge":
        logits = rng.uniform(-1e4, 1e4, (n, c))
    elif family == "very_negative":
        logits = -1e4 + rng.standard_normal((n, c))
    else:
        raise ValueError(f"unknown family {family}")
    targets = rng.integers(0, c, n)
    if family == "ignore_is_class":
        # ignore_index names a real class: rows whose target is that class are skipped.
        ignore_index = int(rng.integers(0, c))
        targets[rng.random(n) < ignore_frac] = ignore_index
    else:
        targets[rng.random(n) < ignore_frac] = ignore_index
    ignored = targets == ignore_index
    if family == "ignored_garbage":
        # Padding rows often hold anything: NaN, inf and huge values must not leak out.
        garbage = rng.choice([np.nan, np.inf, -np.inf, 3e38], size=(n, c))
        logits[ignored] = garbage[ignored]
    return Case(args=(logits.astype(np.float32, copy=False), targets.astype(np.int64), eps, ignore_index))


def check(case: Case, output, expected, tolerance) -> str | None:
    """The usual comparison, on the scalar seen as a 1-element array.

    The engine's NaN/inf pattern check does not see 0-d arrays, which let a NaN loss pass
    against a finite one; comparing the 1-element views restores it.
    """
    if not isinstance(output, np.ndarray) or output.shape != expected.shape:
        shape = list(output.shape) if isinstance(output, np.ndarray) else type(output).__name__
        return f"expected a scalar (shape []), got {shape}"
    result = compare_trees(output.reshape(1), expected.reshape(1), tolerance, "loss")
    return None if result.passed else result.message


def gold(logits: np.ndarray, targets: np.ndarray, eps: float, ignore_index: int) -> np.ndarray:
    """The exact loss in float64 (scripts/calibrate_tolerances.py)."""
    valid = targets != ignore_index
    x = logits[valid].astype(np.float64)
    if not valid.any():
        return np.array(0.0)
    m = x.max(axis=1, keepdims=True)
    logp = x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))
    nll = -logp[np.arange(x.shape[0]), targets[valid]]
    smooth = -logp.mean(axis=1)
    return np.array(((1 - eps) * nll + eps * smooth).mean())
