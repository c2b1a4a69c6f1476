import math

import jax
import jax.numpy as jnp


def gelu(x, approximate):
    exact = 0.5 * x * (1 + jax.scipy.special.erf(x / math.sqrt(2)))
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    # tanh written with exp: e^(2u) overflows to inf for u > 44, and inf / inf is NaN.
    e = jnp.exp(2 * u)
    tanh_form = 0.5 * x * (1 + (e - 1) / (e + 1))
    return jnp.where(approximate, tanh_form, exact)
