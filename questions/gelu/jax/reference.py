import math

import jax

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _tanh_form(x: jax.Array) -> jax.Array:
    # 0.5 * x * (1 + tanh(u)) == x * sigmoid(2u). The sigmoid form avoids 1 + tanh(u)
    # cancelling in the left tail, and saturates cleanly when x**3 overflows (u = +-inf);
    # building tanh out of exp would give inf / inf = NaN there.
    u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)
    return x * jax.nn.sigmoid(2.0 * u)


def _erf_form(x: jax.Array) -> jax.Array:
    # x * Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2: erfc keeps the left tail accurate where
    # 1 + erf(x / sqrt 2) would subtract nearly equal numbers.
    return 0.5 * x * jax.scipy.special.erfc(-x * math.sqrt(0.5))


@jax.jit
def gelu(x: jax.Array, approximate: bool) -> jax.Array:
    # lax.cond branches on the flag as a traced value, so one compiled function serves both.
    return jax.lax.cond(approximate, _tanh_form, _erf_form, x)
