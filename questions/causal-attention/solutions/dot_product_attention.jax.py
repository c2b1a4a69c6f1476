import jax
import jax.numpy as jnp


def causal_attention(q, k, v, key_padding_mask):
    # jax.nn.dot_product_attention wants (batch, seq, heads, dim).
    qt, kt, vt = (jnp.swapaxes(a, 1, 2) for a in (q, k, v))
    s = q.shape[-2]
    allowed = jnp.tril(jnp.ones((s, s), bool))[None, None]
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    out = jnp.swapaxes(jax.nn.dot_product_attention(qt, kt, vt, mask=allowed), 1, 2)
    return jnp.where(allowed.any(axis=-1, keepdims=True), out, 0.0)
