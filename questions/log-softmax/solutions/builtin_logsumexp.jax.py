import jax
import jax.numpy as jnp


def log_softmax(x):
    lse = jax.nn.logsumexp(x, axis=-1, keepdims=True)
    return jnp.where(jnp.isneginf(lse), -jnp.inf, x - lse)
