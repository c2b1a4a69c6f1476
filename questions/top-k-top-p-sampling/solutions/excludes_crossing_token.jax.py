import jax
import jax.numpy as jnp


@jax.jit
def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    z = logits / temperature
    sorted_z = -jnp.sort(-z, axis=-1)
    kth = jnp.take(sorted_z, top_k - 1, axis=-1)[:, None]
    sorted_pi = jax.nn.softmax(jnp.where(sorted_z >= kth, sorted_z, -jnp.inf), axis=-1)
    # The running mass including each token: the token that crosses p is dropped (and a tiny
    # p drops everything but the forced first token).
    inclusive = jnp.cumsum(sorted_pi, axis=-1)
    count = jnp.maximum(jnp.sum((inclusive <= top_p) & (sorted_z >= kth), axis=-1, keepdims=True), 1)
    threshold = jnp.take_along_axis(sorted_z, count - 1, axis=-1)
    masked = jnp.where(z >= threshold, z, -jnp.inf)
    key = jax.random.wrap_key_data(rng["key_data"])
    return jax.nn.softmax(masked, axis=-1), jax.random.categorical(key, masked, axis=-1)
