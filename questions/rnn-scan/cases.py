"""Inputs for rnn-scan: an Elman RNN's sequence, initial state and weights.

Outputs are checked against a float64 gold computed here (kept in `context`). The recurrent
matrix is a scaled orthogonal matrix (spectral norm 0.95), so rounding errors shrink from step
to step instead of compounding, and long sequences stay checkable.
"""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    t, b, d, h = (int(size[k]) for k in ("T", "B", "D", "H"))
    input_gain = 30.0 if family == "saturating" else 1.0
    if family not in ("random", "saturating"):
        raise ValueError(f"unknown family {family}")
    x = rng.standard_normal((t, b, d))
    h0 = np.tanh(rng.standard_normal((b, h)))
    w_ih = rng.standard_normal((h, d)) * input_gain / np.sqrt(d)
    q, _ = np.linalg.qr(rng.standard_normal((h, h)))
    w_hh = 0.95 * q
    bias = rng.standard_normal(h) * 0.1
    args = tuple(a.astype(np.float32) for a in (x, h0, w_ih, w_hh, bias))
    return Case(args=args, context={"gold": rnn_float64(*args)})


def rnn_float64(x, h0, w_ih, w_hh, bias):
    x, h, w_ih, w_hh, bias = (a.astype(np.float64) for a in (x, h0, w_ih, w_hh, bias))
    hs = np.empty((x.shape[0], *h.shape))
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ w_ih.T + h @ w_hh.T + bias)
        hs[t] = h
    return hs, h


def check(case: Case, output, expected, tolerance) -> str | None:
    from workers.grading.compare import compare_trees

    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (hs, h_last)"
    for name, got, want in zip(("hs", "h_last"), output, case.context["gold"], strict=True):
        result = compare_trees(got, want, tolerance, name)
        if not result.passed:
            return result.message
    return None
