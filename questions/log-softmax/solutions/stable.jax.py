import jax
import jax.numpy as jnp


@jax.jit
def log_softmax(x):
    m = jax.lax.stop_gradient(x.max(axis=-1, keepdims=True))
    masked_row = jnp.isneginf(m)
    m = jnp.where(masked_row, 0.0, m)
    lse = m + jnp.log(jnp.exp(x - m).sum(axis=-1, keepdims=True))
    return jnp.where(masked_row, -jnp.inf, x - lse)
