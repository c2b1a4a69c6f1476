from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames=("kernel_size", "stride", "padding"))
def max_pool2d(
    x: jax.Array, kernel_size: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int]
) -> jax.Array:
    (kh, kw), (sh, sw), (ph, pw) = kernel_size, stride, padding
    # Pad with -inf, not 0: padding must never win a window (all-negative inputs).
    xp = jnp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-jnp.inf)
    oh = (xp.shape[2] - kh) // sh + 1  # floor: a partial last window is dropped
    ow = (xp.shape[3] - kw) // sw + 1
    # One strided view per kernel offset, combined with an elementwise maximum (XLA fuses it).
    out = None
    for i in range(kh):
        for j in range(kw):
            view = xp[:, :, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]
            out = view if out is None else jnp.maximum(out, view)
    return out
