import jax.numpy as jnp


def cumulative_logsumexp(x):
    return jnp.log(jnp.cumsum(jnp.exp(x), axis=-1))
