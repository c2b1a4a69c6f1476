"""Inputs for top-k mixture-of-experts routing: x float32 (T, D), router_logits float32 (T, E),
w_in float32 (E, D, H), w_out float32 (E, H, D), k an int, capacity_factor a float. Outputs
(y float32 (T, D), dropped bool (T, k), aux_loss float32 ()).

Routing decisions must not hinge on rounding: every token's logits are E distinct values at
least GAP / 2 apart, so the top-k choices (and hence which assignments overflow an expert) are
the same in float32 and float64, in any implementation."""

import math

import numpy as np

from workers.grading.casekit import Case, compare_scaled
from workers.grading.compare import compare_arrays

GAP = 0.6


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    t, d, h, e = (int(size[n]) for n in ("T", "D", "H", "E"))
    k, capacity_factor = int(size["k"]), float(size["cf"])
    if family == "skewed":
        # A few popular experts, as with an untrained or collapsing router: capacity binds.
        popularity = rng.dirichlet(np.full(e, 0.7))
    elif family == "balanced":
        popularity = np.full(e, 1.0 / e)
    else:
        raise ValueError(f"unknown family {family}")
    logits = np.empty((t, e))
    for row in range(t):
        # Experts in preference order, drawn by popularity; logits fall by GAP per rank, with
        # jitter under GAP / 4 so neighbours stay at least GAP / 2 apart.
        ranked = rng.choice(e, size=e, replace=False, p=popularity)
        logits[row, ranked] = rng.normal() - GAP * np.arange(e) + rng.uniform(-GAP / 4, GAP / 4, e)
    x = rng.standard_normal((t, d), dtype=np.float32)
    w_in = rng.standard_normal((e, d, h), dtype=np.float32) / np.float32(np.sqrt(d))
    w_out = rng.standard_normal((e, h, d), dtype=np.float32) / np.float32(np.sqrt(h))
    return Case(args=(x, logits.astype(np.float32), w_in, w_out, k, capacity_factor))


def gold(x, router_logits, w_in, w_out, k, capacity_factor):
    """The routing as the prompt defines it, one assignment at a time, in float64."""
    x, logits, w_in, w_out = (a.astype(np.float64) for a in (x, router_logits, w_in, w_out))
    t, e = logits.shape
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    choices = np.argsort(-probs, axis=1, kind="stable")[:, :k]
    top = np.take_along_axis(probs, choices, axis=1)
    gates = top / top.sum(axis=1, keepdims=True)
    capacity = math.floor(capacity_factor * k * t / e)
    load = np.zeros(e, dtype=int)
    dropped = np.zeros((t, k), dtype=bool)
    y = np.zeros_like(x)
    for j in range(k):  # every token's first choice before any token's second
        for token in range(t):
            expert = choices[token, j]
            if load[expert] >= capacity:
                dropped[token, j] = True
                continue
            load[expert] += 1
            hidden = np.maximum(x[token] @ w_in[expert], 0.0)
            y[token] += gates[token, j] * (hidden @ w_out[expert])
    fraction = np.bincount(choices.reshape(-1), minlength=e) / (t * k)
    aux = e * np.sum(fraction * probs.mean(axis=0))
    return y, dropped, np.asarray(aux)


def check(case: Case, output, expected, tolerance) -> str | None:
    if not isinstance(output, tuple | list) or len(output) != 3:
        return "return a tuple (y, dropped, aux_loss)"
    want_y, want_dropped, want_aux = gold(*case.args)
    # The drop mask first, exactly: a wrong capacity or priority order shows here by name.
    mask = compare_arrays(output[1], want_dropped, tolerance, "dropped")
    if not mask.passed:
        return mask.message
    # y on its own scale, rtol (|gold| + max|gold| / 10); aux_loss within rtol (|gold| + 0.1).
    problem = compare_scaled("y", output[0], want_y, 0.1 * np.abs(want_y).max(), tolerance)
    return problem or compare_scaled("aux_loss", output[2], want_aux, 0.1, tolerance)
