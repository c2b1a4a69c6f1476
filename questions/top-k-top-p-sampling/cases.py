"""Inputs for top-k-top-p-sampling, and a check that grades the distribution exactly and the
sampled tokens statistically.

Arguments: float32 logits (rows, vocab), temperature > 0, an int top_k in [1, vocab], top_p in
(0, 1], and rng = {"seed": int, "key_data": uint32[2]} (a torch.Generator seed for PyTorch, raw
threefry key data for JAX). Outputs: (probs float32 (rows, vocab), tokens (rows,), int64 in
PyTorch, int32 in JAX).

The filtered distribution is defined exactly (prompt.md), in float64 here:
  z = logits / T; top-k keeps z_i >= the k-th largest z (ties at the boundary kept);
  pi = softmax of z over the top-k set (renormalised); top-p keeps i when the pi-mass of the
  top-k tokens strictly more likely than i is below p (always for p >= 1);
  probs = pi over the kept set, renormalised, 0 elsewhere.
Two boundaries are fuzzy in float32 and may go either way: a token whose mass-above is within
MASS_SLACK * p of p, and a token whose logit is within a float32 rounding below the k-th
largest. The check infers the kept set from probs > 0, requires it to be admissible (every
token that must stay, none that must go, equal logits together), then compares probs with the
float64 renormalisation over that same set.

Tokens are never compared with the reference's (torch.multinomial, jax.random.categorical,
Gumbel-max and inverse-CDF draws all differ): every token must be in the kept set; in the
"repeated" families one row is repeated many times, so each token's count must be within
SIGMAS binomial standard deviations of rows * probs, and neighbouring rows must agree as often
as independent draws do (a key reused across rows makes them all equal). The "same_key" tests
of a grade share their logits and key and must draw identical tokens; "other_key" changes the
key only and must not. The module is loaded afresh for every grade, so nothing leaks between
grades.
"""

import numpy as np

from workers.grading.casekit import Case

SIGMAS = 6.0
UNDERFLOW = 1e-30  # float32 probabilities this small may come back as 0 (XLA flushes subnormals)
MASS_SLACK = 1e-4  # float32 softmax + running sum vs float64, see question.toml
# Relative: a logit this far below the k-th largest may be kept (logits / T can round two
# neighbouring float32 logits to the same z); the k-th largest and all above it must be kept.
TOP_K_SLACK = 4e-7
_shared: dict = {}


def _new_rng(rng: np.random.Generator) -> dict:
    # Seeds below 2**31, so that a jitted JAX function can take the (unused) int as an int32.
    return {
        "seed": int(rng.integers(0, 2**31 - 1)),
        "key_data": rng.integers(0, 2**32, 2, dtype=np.uint64).astype(np.uint32),
    }


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    rows, vocab = int(size["rows"]), int(size["vocab"])
    temperature, top_k, top_p = float(size["T"]), int(size["k"]), float(size["p"])
    scale = float(size.get("scale", 2.0))
    randomness = _new_rng(rng)
    if family == "random":
        logits = rng.standard_normal((rows, vocab)) * scale
    elif family == "ties":  # a handful of distinct values: ties at both boundaries
        logits = rng.integers(0, 6, (rows, vocab)).astype(np.float64) * scale
    elif family == "repeated":  # one row, many independent draws
        logits = np.repeat(rng.standard_normal((1, vocab)) * scale, rows, axis=0)
    elif family in ("same_key", "other_key"):
        # The logits and key of the first of these tests in a grade, shared by the others.
        first = _shared.setdefault("inputs", (rng.standard_normal((1, vocab)) * scale, _new_rng(rng)))
        logits = np.repeat(first[0], rows, axis=0)
        randomness = {"seed": first[1]["seed"], "key_data": first[1]["key_data"].copy()}
        if family == "other_key":
            randomness["seed"] ^= 1
            randomness["key_data"][1] ^= np.uint32(1)
    else:
        raise ValueError(f"unknown family {family}")
    logits = logits.astype(np.float32)
    context = {"family": family, "gold": filtered(logits, temperature, top_k, top_p)}
    return Case(args=(logits, temperature, top_k, top_p, randomness), context=context)


def filtered(logits: np.ndarray, temperature: float, top_k: int, top_p: float) -> dict:
    """The definition in float64: z, and which tokens must be kept, must be dropped, or may go
    either way."""
    z = logits.astype(np.float64) / temperature
    kth = -np.sort(-logits, axis=1)[:, min(top_k, logits.shape[1]) - 1 :][:, :1].astype(np.float64)
    near_kth = (logits < kth) & (kth - logits <= TOP_K_SLACK * np.abs(kth))
    in_k = (logits >= kth) | near_kth
    mass = _mass_above(np.where(in_k, z, -np.inf))
    if top_p >= 1:
        keep_p, near_p = np.ones_like(in_k), np.zeros_like(in_k)
    else:
        keep_p = mass < top_p
        near_p = np.abs(mass - top_p) <= MASS_SLACK * top_p
    must_keep = (logits >= kth) & keep_p & ~near_p
    may_keep = in_k & (keep_p | near_p)
    return {"z": z, "must_keep": must_keep, "may_keep": may_keep}


def _mass_above(z: np.ndarray) -> np.ndarray:
    """M[r, i] = the softmax(z[r])-mass of the tokens with z_j > z_i (-inf entries: mass 0)."""
    probs = np.exp(z - z.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    mass = np.empty_like(z)
    for r in range(z.shape[0]):
        order = np.argsort(-z[r], kind="stable")
        ahead = np.concatenate([[0.0], np.cumsum(probs[r, order])[:-1]])
        # Every member of a run of equal values gets the mass before the run's first member.
        first = np.searchsorted(-z[r, order], -z[r, order], side="left")
        mass[r, order] = ahead[first]
    return mass


def renormalised(z: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """softmax(z) over the kept tokens, 0 elsewhere, in float64."""
    masked = np.where(kept, z, -np.inf)
    probs = np.exp(masked - masked.max(axis=1, keepdims=True))
    return probs / probs.sum(axis=1, keepdims=True)


def check(case: Case, output, expected, tolerance) -> str | None:
    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (probs, tokens)"
    probs, tokens = output
    logits = case.args[0]
    if not isinstance(probs, np.ndarray) or probs.shape != logits.shape:
        return f"probs: expected shape {list(logits.shape)}, got {_shape(probs)}"
    if not isinstance(tokens, np.ndarray) or tokens.shape != logits.shape[:1]:
        return f"tokens: expected shape {[logits.shape[0]]}, got {_shape(tokens)}"
    problem = _probs_problem(case, probs.astype(np.float64), tolerance)
    if problem is None:
        problem = _tokens_problem(case, probs, tokens)
    if problem is None:
        problem = _shared_problem(case, tokens)
    return problem


def _shape(value) -> object:
    return list(value.shape) if isinstance(value, np.ndarray) else type(value).__name__


def _probs_problem(case: Case, probs: np.ndarray, tolerance) -> str | None:
    logits, top_p = case.args[0], case.args[3]
    gold = case.context["gold"]
    if not np.isfinite(probs).all() or (probs < 0).any():
        r, i = (int(v) for v in np.argwhere(~(np.isfinite(probs) & (probs >= 0)))[0])
        return f"probs[{r}, {i}] = {probs[r, i]}: probabilities are finite and >= 0"
    kept = probs > 0
    wanted = renormalised(gold["z"], kept | gold["must_keep"])
    for name, bad in (
        ("removed", gold["must_keep"] & ~kept & (wanted >= UNDERFLOW)),
        ("kept", kept & ~gold["may_keep"]),
    ):
        if bad.any():
            r, i = (int(v) for v in np.argwhere(bad)[0])
            should = "kept" if name == "removed" else "removed"
            return (
                f"row {r}: token {i} (logit {logits[r, i]:.7g}) was {name}; with T = {case.args[1]:g}, "
                f"top_k = {case.args[2]}, top_p = {top_p:g} it must be {should}"
            )
    for r in range(len(logits)):
        # Tokens of the fuzzy boundaries may go either way, but equal logits go together.
        dropped = gold["may_keep"][r] & ~kept[r]
        if kept[r].any() and dropped.any() and logits[r][dropped].max() >= logits[r][kept[r]].min():
            return (
                f"row {r}: a token with logit {logits[r][dropped].max():.7g} was removed while one with "
                f"logit {logits[r][kept[r]].min():.7g} was kept; equal logits are kept or removed together"
            )
    z = gold["z"]
    zmax = np.abs(z).max(axis=1, keepdims=True)
    # float32 rounds z = logits / T relative to |z|, and exp turns that into a relative error
    # of the probability: the allowance grows with |z_i| + max |z| (see question.toml).
    allowed = tolerance.atol + tolerance.rtol * wanted * (1.0 + np.abs(z) + zmax)
    diff = np.abs(probs - wanted)
    over = diff > allowed
    if over.any():
        r, i = np.unravel_index(int(np.argmax(np.where(over, diff / allowed, 0.0))), diff.shape)
        return (
            f"probs[{r}, {i}]: expected {wanted[r, i]:.7g}, got {probs[r, i]:.7g} "
            f"(error {diff[r, i]:.3g} > allowed {allowed[r, i]:.3g})"
        )
    return None


def _tokens_problem(case: Case, probs: np.ndarray, tokens: np.ndarray) -> str | None:
    if not np.issubdtype(tokens.dtype, np.integer):
        return f"tokens: expected integer token ids, got {tokens.dtype}"
    vocab = probs.shape[1]
    outside = (tokens < 0) | (tokens >= vocab)
    if outside.any():
        r = int(np.argmax(outside))
        return f"tokens[{r}] = {int(tokens[r])} is not a token id in [0, {vocab})"
    chosen = probs[np.arange(len(tokens)), tokens]
    if (chosen <= 0).any():
        r = int(np.argmax(chosen <= 0))
        return f"tokens[{r}] = {int(tokens[r])} has probability 0 after filtering: it cannot be sampled"
    if case.context["family"] == "ties" or len(tokens) < 100:
        return None
    if not (case.args[0] == case.args[0][:1]).all():
        return None
    return _distribution_problem(probs[0].astype(np.float64), tokens)


def _distribution_problem(pi: np.ndarray, tokens: np.ndarray) -> str | None:
    """Rows drawn independently from pi: per-token counts, and agreement between neighbours."""
    n = len(tokens)
    counts = np.bincount(tokens, minlength=len(pi))
    sd = np.sqrt(n * pi * (1 - pi))
    off = np.abs(counts - n * pi) > SIGMAS * sd + 1
    if off.any():
        i = int(np.argmax(np.where(off, np.abs(counts - n * pi) / (sd + 1), 0)))
        return (
            f"token {i} was drawn {counts[i]} times in {n} rows with identical logits; its probability "
            f"{pi[i]:.4f} makes {n * pi[i]:.1f} +- {SIGMAS * sd[i]:.1f} expected"
        )
    return _agreement_problem(tokens[1:], tokens[:-1], pi, "neighbouring rows")


def _agreement_problem(a: np.ndarray, b: np.ndarray, pi: np.ndarray, what: str) -> str | None:
    expected = float((pi * pi).sum())
    rate = float(np.mean(a == b))
    bound = SIGMAS * np.sqrt(expected * (1 - expected) / len(a)) + 1.0 / len(a)
    if abs(rate - expected) > bound:
        return (
            f"{what} drew the same token {100 * rate:.2f} % of the time; independent draws from the "
            f"filtered distribution agree {100 * expected:.2f} % +- {100 * bound:.2f} %: use a fresh "
            "key (or generator state) for every row"
        )
    return None


def _shared_problem(case: Case, tokens: np.ndarray) -> str | None:
    family = case.context["family"]
    if family == "same_key":
        first = _shared.setdefault("tokens", tokens)
        if first is not tokens and (first.shape != tokens.shape or (first != tokens).any()):
            return (
                "the same logits and seed / key gave different tokens: draw every random number from "
                "the given seed (one torch.Generator) or key, never from global random state"
            )
    elif family == "other_key" and "tokens" in _shared:
        first = _shared["tokens"]
        pi = renormalised(case.context["gold"]["z"][:1], case.context["gold"]["must_keep"][:1])[0]
        if first.shape == tokens.shape:
            return _agreement_problem(tokens, first, pi, "draws with different seeds / keys")
    return None
