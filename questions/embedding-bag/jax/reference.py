from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames="mode")
def embedding_bag(weight: jax.Array, indices: jax.Array, offsets: jax.Array, mode: str) -> jax.Array:
    num_bags, n = offsets.shape[0], indices.shape[0]
    # Bag id of every index: the last bag whose offset is <= its position. With side="right"
    # an empty bag (equal offsets) never owns a position.
    bag_of = jnp.searchsorted(offsets, jnp.arange(n, dtype=offsets.dtype), side="right") - 1
    out = jax.ops.segment_sum(weight[indices], bag_of, num_segments=num_bags, indices_are_sorted=True)
    if mode == "mean":
        ends = jnp.append(offsets[1:], n)
        counts = jnp.maximum(ends - offsets, 1).astype(weight.dtype)
        out = out / counts[:, None]  # empty bags stay 0
    return out
