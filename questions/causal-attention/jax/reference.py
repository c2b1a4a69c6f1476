import jax
import jax.numpy as jnp


@jax.jit
def causal_attention(
    q: jax.Array, k: jax.Array, v: jax.Array, key_padding_mask: jax.Array | None
) -> jax.Array:
    s, d = q.shape[-2], q.shape[-1]
    scores = jnp.einsum("bhqd,bhkd->bhqk", q * d**-0.5, k)
    allowed = jnp.tril(jnp.ones((s, s), dtype=bool))
    if key_padding_mask is not None:  # None is static: jit compiles one version per case
        allowed = allowed & key_padding_mask[:, None, None, :]
    scores = jnp.where(allowed, scores, -jnp.inf)
    # Softmax by hand so a row with no allowed key comes out as zeros: shift by the row max
    # (0 for such a row, whose max is -inf), and note the sum of exps is >= 1 for any row
    # with an allowed key (its max contributes exp(0) = 1) and exactly 0 otherwise.
    row_max = jnp.max(scores, axis=-1, keepdims=True)
    row_max = jnp.where(jnp.isneginf(row_max), 0.0, row_max)
    weights = jnp.exp(scores - row_max)
    total = jnp.sum(weights, axis=-1, keepdims=True)
    return jnp.einsum("bhqk,bhkd->bhqd", weights, v) / jnp.maximum(total, 1.0)
