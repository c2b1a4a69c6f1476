import jax
import jax.numpy as jnp


@jax.jit
def top_p_filter(logits, p):
    # Keeps a token only if the mass up to and including it is below p: drops the token that
    # reaches p, so the kept set holds less than p.
    sorted_logits = -jnp.sort(-logits, axis=-1)
    inclusive = jnp.cumsum(jax.nn.softmax(sorted_logits, axis=-1), axis=-1)
    count = jnp.maximum(jnp.sum(inclusive < p, axis=-1, keepdims=True), 1)
    threshold = jnp.take_along_axis(sorted_logits, count - 1, axis=-1)
    return jnp.where(logits >= threshold, logits, -jnp.inf)
