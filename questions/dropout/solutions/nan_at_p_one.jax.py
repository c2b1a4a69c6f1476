import jax
import jax.numpy as jnp


@jax.jit
def dropout(x, p, rng):
    # x * mask / (1 - p): with p = 1 that is 0 * inf = NaN.
    key = jax.random.wrap_key_data(rng["key_data"])
    mask = jax.random.bernoulli(key, 1.0 - p, x.shape).astype(x.dtype)
    return x * mask / (1.0 - p)
