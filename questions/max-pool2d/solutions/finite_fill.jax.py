from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=(1, 2, 3))
def max_pool2d(x, kernel_size, stride, padding):
    (kh, kw), (sh, sw), (ph, pw) = kernel_size, stride, padding
    # The float32 minimum instead of -inf: a window of only -inf values and padding returns it.
    low = jnp.finfo(jnp.float32).min
    xp = jnp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=low)
    oh = (xp.shape[2] - kh) // sh + 1
    ow = (xp.shape[3] - kw) // sw + 1
    out = jnp.full(x.shape[:2] + (oh, ow), low)
    for i in range(kh):
        for j in range(kw):
            out = jnp.maximum(out, xp[:, :, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw])
    return out
