import jax
import jax.numpy as jnp


def packed_causal_attention(q, k, v, segment_ids):
    # jax.nn.dot_product_attention takes (batch, seq, heads, dim), the layout used here.
    t = q.shape[1]
    allowed = (
        (segment_ids[:, :, None] == segment_ids[:, None, :])
        & jnp.tril(jnp.ones((t, t), bool))
        & (segment_ids[:, :, None] > 0)
    )[:, None]
    out = jax.nn.dot_product_attention(q, k, v, mask=allowed)
    return jnp.where((segment_ids > 0)[:, :, None, None], out, 0.0)
