import jax
import jax.numpy as jnp


@jax.jit
def top_p_filter(logits: jax.Array, p: float) -> jax.Array:
    sorted_logits = -jnp.sort(-logits, axis=-1)  # descending
    probs = jax.nn.softmax(sorted_logits, axis=-1)  # stable: subtracts the row maximum
    mass_before = jnp.cumsum(probs, axis=-1) - probs  # mass of the tokens sorted ahead
    # The last sorted position whose mass before it is < p sets a threshold logit; keeping every
    # logit >= threshold keeps ties together (an equal logit sorted later is kept too, since the
    # mass strictly above it is the same).
    last = jnp.sum(mass_before < p, axis=-1, keepdims=True) - 1
    threshold = jnp.take_along_axis(sorted_logits, last, axis=-1)
    # p >= 1 keeps everything: float rounding can push a running sum to 1 before the last token.
    keep = (logits >= threshold) | (p >= 1.0)
    return jnp.where(keep, logits, -jnp.inf)
