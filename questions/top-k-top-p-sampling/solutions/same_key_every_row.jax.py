import jax
import jax.numpy as jnp


@jax.jit
def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    z = logits / temperature
    sorted_z = -jnp.sort(-z, axis=-1)
    kth = jnp.take(sorted_z, top_k - 1, axis=-1)[:, None]
    in_top_k = sorted_z >= kth
    sorted_pi = jax.nn.softmax(jnp.where(in_top_k, sorted_z, -jnp.inf), axis=-1)
    ahead = jnp.cumsum(sorted_pi, axis=-1) - sorted_pi
    count = jnp.sum(in_top_k & ((ahead < top_p) | (top_p >= 1.0)), axis=-1, keepdims=True)
    masked = jnp.where(z >= jnp.take_along_axis(sorted_z, count - 1, axis=-1), z, -jnp.inf)
    key = jax.random.wrap_key_data(rng["key_data"])
    # The same key for every row: rows with the same logits draw the same token.
    tokens = jax.vmap(lambda row: jax.random.categorical(key, row))(masked)
    return jax.nn.softmax(masked, axis=-1), tokens
