import jax
import jax.numpy as jnp


@jax.jit
def causal_attention(q, k, v, key_padding_mask):
    s, d = q.shape[-2], q.shape[-1]
    scores = q @ jnp.swapaxes(k, -1, -2) / jnp.sqrt(d).astype(q.dtype)
    allowed = jnp.tril(jnp.ones((s, s), bool))[None, None]
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    weights = jax.nn.softmax(scores, axis=-1, where=allowed)
    weights = jnp.where(allowed, weights, 0.0)  # fully masked rows: 0 instead of NaN
    return weights @ v
