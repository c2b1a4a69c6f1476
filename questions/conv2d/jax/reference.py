from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames=("stride", "padding"))
def conv2d(
    x: jax.Array,
    weight: jax.Array,
    bias: jax.Array | None,
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> jax.Array:
    (sh, sw), (ph, pw) = stride, padding
    c_out, c_in, kh, kw = weight.shape
    x = jnp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (x.shape[2] - kh) // sh + 1  # floor: a partial last window is dropped
    ow = (x.shape[3] - kw) // sw + 1
    # One strided view of the input per kernel offset (i, j): (kh*kw, n, c_in, oh, ow).
    # Contracting it with the weights over (c_in, kh, kw) is the convolution.
    patches = jnp.stack([
        x[:, :, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]
        for i in range(kh) for j in range(kw)
    ])
    out = jnp.einsum("knchw,ock->nohw", patches, weight.reshape(c_out, c_in, kh * kw))
    if bias is not None:
        out = out + bias[None, :, None, None]
    return out
