from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=(3, 4))
def conv2d(x, weight, bias, stride, padding):
    (sh, sw), (ph, pw) = stride, padding
    kh, kw = weight.shape[2:]
    # Rounds the output size up and pads the bottom/right with extra zeros to fill the last
    # window (ceil mode); PyTorch's conv2d rounds down and drops partial windows.
    oh = -(-(x.shape[2] + 2 * ph - kh) // sh) + 1
    ow = -(-(x.shape[3] + 2 * pw - kw) // sw) + 1
    extra_h = sh * (oh - 1) + kh - (x.shape[2] + 2 * ph)
    extra_w = sw * (ow - 1) + kw - (x.shape[3] + 2 * pw)
    xp = jnp.pad(x, ((0, 0), (0, 0), (ph, ph + extra_h), (pw, pw + extra_w)))
    out = 0.0
    for i in range(kh):
        for j in range(kw):
            window = xp[:, :, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]
            out = out + jnp.einsum("nchw,oc->nohw", window, weight[:, :, i, j])
    return out if bias is None else out + bias[None, :, None, None]
