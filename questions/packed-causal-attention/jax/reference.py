import jax
import jax.numpy as jnp


@jax.jit
def packed_causal_attention(q: jax.Array, k: jax.Array, v: jax.Array, segment_ids: jax.Array) -> jax.Array:
    t, d = q.shape[1], q.shape[-1]
    scores = jnp.einsum("bqhd,bkhd->bhqk", q * d**-0.5, k)
    # Block-diagonal causal mask: the same segment, not padding (id 0), and not in the future.
    same = segment_ids[:, :, None] == segment_ids[:, None, :]
    real = (segment_ids != 0)[:, :, None]
    causal = jnp.tril(jnp.ones((t, t), dtype=bool))
    allowed = (same & real & causal)[:, None]  # (b, 1, t, t), broadcast over heads
    scores = jnp.where(allowed, scores, -jnp.inf)
    # Softmax by hand so a padding query (no allowed key) comes out as zeros: shift by the row
    # max (0 for such a row, whose max is -inf); the sum of exps is >= 1 for any row with an
    # allowed key (its max contributes exp(0) = 1) and exactly 0 otherwise.
    row_max = jnp.max(scores, axis=-1, keepdims=True)
    row_max = jnp.where(jnp.isneginf(row_max), 0.0, row_max)
    weights = jnp.exp(scores - row_max)
    total = jnp.sum(weights, axis=-1, keepdims=True)
    return jnp.einsum("bhqk,bkhd->bqhd", weights / jnp.maximum(total, 1.0), v)
