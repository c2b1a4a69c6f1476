"""Inputs for max-pool2d: x float32 (n, c, h, w), finite or -inf; kernel_size, stride and
padding as (height, width) tuples of Python ints."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, c, h, w, kh, kw, sh, sw, ph, pw = (
        int(size[k]) for k in ("n", "c", "h", "w", "kh", "kw", "sh", "sw", "ph", "pw"))
    shape = (n, c, h, w)
    if family == "random":
        # float32 from the start: the speed benchmark draws fresh inputs for every call.
        x = rng.standard_normal(shape, dtype=np.float32)
    elif family == "negative":
        # Every value below zero: padding with 0 instead of -inf shows up at every border.
        x = -rng.uniform(0.5, 100.0, shape)
    elif family == "masked":
        # Masked feature maps: -inf entries, and one channel that is -inf everywhere, so some
        # windows (also at the borders, overlapping the padding) hold only -inf.
        x = rng.standard_normal(shape)
        x[rng.random(shape) < 0.5] = -np.inf
        x[:, int(rng.integers(0, c))] = -np.inf
    else:
        raise ValueError(f"unknown family {family}")
    return Case(args=(x.astype(np.float32, copy=False), (kh, kw), (sh, sw), (ph, pw)))


def gold(x, kernel_size, stride, padding):
    """The exact answer (max is exact in any precision), window by window."""
    (kh, kw), (sh, sw), (ph, pw) = kernel_size, stride, padding
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    oh = (xp.shape[2] - kh) // sh + 1
    ow = (xp.shape[3] - kw) // sw + 1
    out = np.empty((*x.shape[:2], oh, ow))
    for y in range(oh):
        for z in range(ow):
            out[:, :, y, z] = xp[:, :, y * sh : y * sh + kh, z * sw : z * sw + kw].max(axis=(2, 3))
    return out
