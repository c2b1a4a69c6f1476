import jax.numpy as jnp


def embedding_bag(weight, indices, offsets, mode):
    n = indices.shape[0]
    # Mark each bag start with +1 (empty bags stack up on the same position).
    starts = jnp.zeros(n + 1, jnp.int32).at[offsets].add(1)
    bag_of = jnp.cumsum(starts)[:n] - 1
    out = jnp.zeros((offsets.shape[0], weight.shape[1]), weight.dtype).at[bag_of].add(weight[indices])
    if mode == "mean":
        counts = jnp.diff(jnp.append(offsets, n))
        out = out / jnp.maximum(counts, 1)[:, None].astype(weight.dtype)
    return out
