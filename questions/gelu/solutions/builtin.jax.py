import jax
import jax.numpy as jnp


def gelu(x, approximate):
    return jnp.where(approximate, jax.nn.gelu(x, approximate=True), jax.nn.gelu(x, approximate=False))
