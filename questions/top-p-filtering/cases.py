"""Inputs for top-p-filtering: float32 logits (batch, vocab) and a Python float p in (0, 1].

Definition: token i is kept when the probability mass of the tokens strictly more likely than
it is below p, M_i = sum of softmax(logits)_j over l_j > l_i, M_i < p. Tokens with equal logits
are therefore kept or dropped together, and the most likely token is always kept (M = 0).
For p >= 1 every token with a finite logit is kept.

`check` computes M_i in float64. Near the boundary float32 arithmetic (softmax, a running sum
over up to 50k tokens) can legitimately land on either side, so a token whose M_i is within
tolerance.atol * p of p may go either way; every other token must be on its side, and the kept
set must be the tokens above a threshold logit (never splitting equal logits). Kept entries
must equal the input logits exactly; dropped entries must be -inf.
"""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    rows, vocab = int(size.get("rows", 4)), int(size.get("vocab", 10))
    p = float(size.get("p", 0.9))
    x = rng.standard_normal((rows, vocab)) * float(size.get("scale", 2.0))
    if family == "random":
        pass
    elif family == "huge":  # exp overflows float32 above ~88.7
        x = rng.uniform(-1e4, 1e4, (rows, vocab))
        for r in range(rows):  # eight contenders close to the top, the rest thousands below
            top = rng.choice(vocab, 8, replace=False)
            x[r, top] = x[r].max() + 2.0 * rng.standard_normal(8)
    elif family == "ties":  # a handful of distinct values, so many equal logits
        x = rng.integers(0, 5, (rows, vocab)).astype(np.float64) * 1.5
    elif family == "uniform":  # every logit equal: every token is kept
        x = np.full((rows, vocab), rng.uniform(-3, 3))
    elif family == "top_tie":  # the two largest logits are equal
        top = np.argsort(x, axis=1)[:, -2:]
        np.put_along_axis(x, top, x.max(axis=1, keepdims=True) + 5.0, axis=1)
    elif family == "masked":  # tokens already filtered out (-inf), never a whole row
        x[rng.random((rows, vocab)) < 0.5] = -np.inf
        x[:, int(rng.integers(vocab))] = rng.standard_normal()
    else:
        raise ValueError(f"unknown family {family}")
    x = x.astype(np.float32)
    return Case(args=(x, p), context={"mass_above": _mass_above(x), "p": p})


def _mass_above(logits: np.ndarray) -> np.ndarray:
    """M[r, i] = sum of softmax(logits[r])_j over l_j > l_i, in float64."""
    x = logits.astype(np.float64)
    mass = np.empty_like(x)
    for r in range(x.shape[0]):
        row = x[r]
        probs = np.exp(row - row.max())
        probs /= probs.sum()
        order = np.argsort(-row, kind="stable")
        sorted_vals, sorted_probs = row[order], probs[order]
        exclusive = np.concatenate([[0.0], np.cumsum(sorted_probs)[:-1]])
        # Every member of a group of equal values gets the mass before the group's first member.
        first = np.searchsorted(-sorted_vals, -sorted_vals, side="left")
        mass[r, order] = exclusive[first]
    return mass


def check(case: Case, output, expected, tolerance) -> str | None:
    (logits, p), mass = case.args, case.context["mass_above"]
    if not isinstance(output, np.ndarray):
        return f"expected an array, got {type(output).__name__}"
    if output.shape != logits.shape:
        return f"expected shape {list(logits.shape)}, got {list(output.shape)}"
    kept = output != -np.inf
    if np.isnan(output).any():
        return "the output contains NaN"
    changed = kept & (output != logits)
    if changed.any():
        r, i = (int(v) for v in np.argwhere(changed)[0])
        if logits[r, i] == -np.inf:
            return f"output[{r}, {i}] = {output[r, i]:.7g}: the input logit is -inf and must stay -inf"
        return (f"output[{r}, {i}] = {output[r, i]:.7g}: expected the input logit {logits[r, i]:.7g} "
                "(kept) or exactly -inf (removed)")
    finite = np.isfinite(logits)
    slack = tolerance.atol * p
    must_keep = finite & ((mass < p - slack) | (mass == 0) | (p >= 1))
    must_drop = ~finite | ((mass >= p + slack) & (p < 1))
    for r in range(logits.shape[0]):
        for name, bad in (("removed", must_keep[r] & ~kept[r]), ("kept", must_drop[r] & kept[r])):
            if bad.any():
                i = int(np.argmax(bad))
                return (f"row {r}: token {i} (logit {logits[r, i]:.7g}) was {name}; the tokens more likely "
                        f"than it hold probability {mass[r, i]:.6f} and p = {p:g}")
        if kept[r].any() and (finite[r] & ~kept[r]).any():
            low_kept = logits[r][kept[r]].min()
            high_dropped = logits[r][finite[r] & ~kept[r]].max()
            if high_dropped >= low_kept:
                i = int(np.argmax(np.where(finite[r] & ~kept[r], logits[r], -np.inf)))
                return (f"row {r}: token {i} (logit {high_dropped:.7g}) was removed while a token with logit "
                        f"{low_kept:.7g} was kept; equal logits must be kept or removed together")
    return None
