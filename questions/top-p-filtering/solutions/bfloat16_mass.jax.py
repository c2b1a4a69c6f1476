import jax
import jax.numpy as jnp


@jax.jit
def top_p_filter(logits, p):
    # The right algorithm, with probabilities and their running sum in bfloat16.
    sorted_logits = -jnp.sort(-logits, axis=-1)
    probs = jax.nn.softmax(sorted_logits.astype(jnp.bfloat16), axis=-1)
    before = jnp.cumsum(probs, axis=-1) - probs
    last = jnp.sum(before < p, axis=-1, keepdims=True) - 1
    threshold = jnp.take_along_axis(sorted_logits, last, axis=-1)
    return jnp.where((logits >= threshold) | (p >= 1.0), logits, -jnp.inf)
