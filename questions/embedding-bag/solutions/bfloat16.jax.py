from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames="mode")
def embedding_bag(weight, indices, offsets, mode):
    n = indices.shape[0]
    bag_of = jnp.searchsorted(offsets, jnp.arange(n, dtype=offsets.dtype), side="right") - 1
    rows = weight.astype(jnp.bfloat16)[indices]
    out = jax.ops.segment_sum(rows, bag_of, num_segments=offsets.shape[0]).astype(jnp.float32)
    if mode == "mean":
        out = out / jnp.maximum(jnp.diff(jnp.append(offsets, n)), 1)[:, None].astype(jnp.float32)
    return out
