import math

import jax
import jax.numpy as jnp


@jax.jit
def gelu(x, approximate):
    exact = 0.5 * x * (1 + jax.scipy.special.erf(x / math.sqrt(2)))
    tanh_form = 0.5 * x * (1 + jnp.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return jnp.where(approximate, tanh_form, exact)
