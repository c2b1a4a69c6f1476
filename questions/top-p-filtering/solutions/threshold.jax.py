import jax
import jax.numpy as jnp


@jax.jit
def top_p_filter(logits, p):
    # Same threshold idea as a sort-and-cumsum, written with lax.top_k over the full row.
    sorted_logits, _ = jax.lax.top_k(logits, logits.shape[-1])
    probs = jax.nn.softmax(sorted_logits, axis=-1)
    before = jnp.cumsum(probs, axis=-1) - probs
    threshold = jnp.min(jnp.where(before < p, sorted_logits, jnp.inf), axis=-1, keepdims=True)
    return jnp.where((logits >= threshold) | (p >= 1.0), logits, -jnp.inf)
