import jax
import jax.numpy as jnp


@jax.jit
def dropout(x, p, rng):
    key = jax.random.wrap_key_data(rng["key_data"])  # raw threefry key data -> typed key
    keep = jax.random.bernoulli(key, 1.0 - p, x.shape)
    # Inverted dropout: scale the kept entries now. With p = 1 nothing is kept and the
    # (infinite) scale is never selected, so no 0 * inf = NaN appears.
    scale = jnp.where(p < 1.0, 1.0 / (1.0 - p), 0.0)
    return jnp.where(keep, x * scale, 0.0).astype(x.dtype)
