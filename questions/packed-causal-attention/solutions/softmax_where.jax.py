import jax
import jax.numpy as jnp


@jax.jit
def packed_causal_attention(q, k, v, segment_ids):
    t, d = q.shape[1], q.shape[-1]
    qh, kh, vh = (jnp.swapaxes(a, 1, 2) for a in (q, k, v))  # (b, h, t, d)
    scores = qh @ jnp.swapaxes(kh, -1, -2) / jnp.sqrt(d).astype(q.dtype)
    positions = jnp.arange(t)
    allowed = (
        (segment_ids[:, :, None] == segment_ids[:, None, :])
        & (positions[:, None] >= positions[None, :])
        & (segment_ids[:, :, None] > 0)
    )[:, None]
    weights = jax.nn.softmax(scores, axis=-1, where=allowed)
    weights = jnp.where(allowed, weights, 0.0)  # padding queries: zeros instead of NaN
    return jnp.swapaxes(weights @ vh, 1, 2)
