import jax
import jax.numpy as jnp


@jax.jit
def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    z = logits / temperature
    sorted_z = -jnp.sort(-z, axis=-1)
    # A traced top_k indexes the sorted row (jax.lax.top_k would need it static).
    kth = jnp.take_along_axis(sorted_z, jnp.full((z.shape[0], 1), top_k - 1), axis=-1)
    sorted_z = jnp.where(sorted_z >= kth, sorted_z, -jnp.inf)
    sorted_pi = jax.nn.softmax(sorted_z, axis=-1)
    ahead = jnp.cumsum(sorted_pi, axis=-1) - sorted_pi
    count = jnp.sum(jnp.isfinite(sorted_z) & ((ahead < top_p) | (top_p >= 1.0)), axis=-1, keepdims=True)
    threshold = jnp.take_along_axis(sorted_z, count - 1, axis=-1)
    probs = jax.nn.softmax(jnp.where(z >= threshold, z, -jnp.inf), axis=-1)
    # One key per row, one uniform per row, and the first token whose running sum passes it.
    keys = jax.random.split(jax.random.wrap_key_data(rng["key_data"]), logits.shape[0])
    u = jax.vmap(jax.random.uniform)(keys)
    cdf = jnp.cumsum(probs, axis=-1)
    tokens = jnp.sum(cdf <= u[:, None] * cdf[:, -1:], axis=-1)
    # Rounding can leave u * total at the very top: fall back to the last token that can be drawn.
    last = probs.shape[-1] - 1 - jnp.argmax(probs[:, ::-1] > 0, axis=-1)
    return probs, jnp.minimum(tokens, last).astype(jnp.int32)
