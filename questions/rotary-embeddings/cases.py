"""Inputs for rotary-embeddings: x (batch, seq, heads, head_dim) float32, int32 positions
(batch, seq), a Python float base.

The gold answer is computed in float64. A float32 implementation rounds the angle
theta = position * base**(-2i/head_dim) to a relative error of about 2e-7 (measured: 1.3e-7
for the usual formulas), which moves the output by that times theta times the pair's length,
so the error allowed for each output grows with its angle:
    atol * r * (1 + theta) + rtol * |gold|,    r = sqrt(x[..., i]**2 + x[..., i + half]**2).
"""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    batch, seq, heads, dim = (int(size.get(k, v)) for k, v in
                              (("batch", 2), ("seq", 8), ("heads", 2), ("dim", 8)))
    base = float(size.get("base", 10000.0))
    x = rng.standard_normal((batch, seq, heads, dim))
    steps = np.arange(seq)
    if family == "random":  # each row starts at its own offset (a continuing cache)
        positions = rng.integers(0, 512, (batch, 1)) + steps
    elif family == "long_context":  # positions up to 65535
        positions = np.sort(rng.integers(0, 65536, (batch, seq)), axis=1)
    elif family == "packed":  # several sequences packed into each row: positions restart
        positions = np.zeros((batch, seq), np.int64)
        for b in range(batch):
            cuts = np.sort(rng.choice(np.arange(1, seq), size=min(3, seq - 1), replace=False))
            for start, end in zip(np.r_[0, cuts], np.r_[cuts, seq], strict=True):
                positions[b, start:end] = np.arange(end - start)
    elif family == "left_padded":  # padding first (position 0), then 0, 1, 2, ...
        pads = rng.integers(0, seq, batch)
        positions = np.maximum(steps[None, :] - pads[:, None], 0)
    elif family == "zeros":
        positions = np.zeros((batch, seq), np.int64)
    else:
        raise ValueError(f"unknown family {family}")
    x = x.astype(np.float32)
    positions = positions.astype(np.int32)
    gold, scale = _gold(x, positions, base)
    return Case(args=(x, positions, base), context={"gold": gold, "scale": scale})


def _gold(x, positions, base):
    dim = x.shape[-1]
    half = dim // 2
    inv_freq = base ** (-(2.0 * np.arange(half)) / dim)
    theta = positions.astype(np.float64)[:, :, None, None] * inv_freq  # (batch, seq, 1, half)
    cos, sin = np.cos(theta), np.sin(theta)
    x1, x2 = x[..., :half].astype(np.float64), x[..., half:].astype(np.float64)
    gold = np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)
    r = np.sqrt(x1 * x1 + x2 * x2)
    scale = np.concatenate([r * (1 + theta), r * (1 + theta)], axis=-1)
    return gold, scale


def check(case: Case, output, expected, tolerance) -> str | None:
    gold, scale = case.context["gold"], case.context["scale"]
    if not isinstance(output, np.ndarray):
        return f"expected an array, got {type(output).__name__}"
    if output.shape != gold.shape:
        return f"expected shape {list(gold.shape)}, got {list(output.shape)}"
    out = output.astype(np.float64)
    if not np.all(np.isfinite(out)):
        return "the output contains NaN or inf"
    err = np.abs(out - gold)
    allowed = tolerance.rtol * np.abs(gold) + tolerance.atol * scale
    bad = err > allowed
    if bad.any():
        where = np.unravel_index(int(np.argmax(np.where(bad, err / np.maximum(allowed, 1e-300), -1))), gold.shape)
        b, t, h, i = (int(v) for v in where)
        position = int(case.args[1][b, t])
        return (f"output[{b}, {t}, {h}, {i}] (position {position}): expected {gold[where]:.7g}, got "
                f"{out[where]:.7g} (error {err[where]:.3g} > allowed {allowed[where]:.3g})")
    return None
