import jax
import jax.numpy as jnp


def dropout(x, p, rng):
    # A raw uint32[2] array also works directly as a legacy (threefry) key.
    if p == 1.0:
        return jnp.zeros_like(x)
    keep = jax.random.uniform(rng["key_data"], x.shape) >= p
    return jnp.where(keep, x / (1 - p), 0.0)
