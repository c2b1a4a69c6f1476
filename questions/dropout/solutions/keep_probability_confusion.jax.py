import jax
import jax.numpy as jnp


@jax.jit
def dropout(x, p, rng):
    # Treats p as the probability of *keeping* an entry.
    key = jax.random.wrap_key_data(rng["key_data"])
    keep = jax.random.bernoulli(key, p, x.shape)
    return jnp.where(keep, x / jnp.where(p > 0, p, 1.0), 0.0)
