"""Inputs for conv2d: x float32 (n, c_in, h, w), weight float32 (c_out, c_in, kh, kw), bias
float32 (c_out,) or None, stride (sh, sw) and padding (ph, pw) as tuples of Python ints."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    if family != "random":
        raise ValueError(f"unknown family {family}")
    n, c_in, h, w, c_out, kh, kw, sh, sw, ph, pw = (
        int(size[k]) for k in ("n", "c_in", "h", "w", "c_out", "kh", "kw", "sh", "sw", "ph", "pw"))
    x = rng.standard_normal((n, c_in, h, w))
    weight = rng.standard_normal((c_out, c_in, kh, kw)) / np.sqrt(c_in * kh * kw)
    bias = None if str(size.get("bias", "yes")) == "no" else 0.5 * rng.standard_normal(c_out)
    arrays = (x.astype(np.float32), weight.astype(np.float32), None if bias is None else bias.astype(np.float32))
    return Case(args=(*arrays, (sh, sw), (ph, pw)))


def gold(x, weight, bias, stride, padding):
    """The exact answer in float64 (scripts/calibrate_tolerances.py), by explicit sums."""
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    weight = weight.astype(np.float64)
    c_out, _, kh, kw = weight.shape
    oh = (x.shape[2] - kh) // stride[0] + 1
    ow = (x.shape[3] - kw) // stride[1] + 1
    out = np.zeros((x.shape[0], c_out, oh, ow))
    for i in range(kh):
        for j in range(kw):
            window = x[:, :, i : i + stride[0] * (oh - 1) + 1 : stride[0], j : j + stride[1] * (ow - 1) + 1 : stride[1]]
            out += np.einsum("nchw,oc->nohw", window, weight[:, :, i, j])
    if bias is not None:
        out += bias.astype(np.float64)[None, :, None, None]
    return out
