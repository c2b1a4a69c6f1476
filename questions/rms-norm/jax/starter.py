import jax
import jax.numpy as jnp


def rms_norm(x: jax.Array, weight: jax.Array, eps: float) -> jax.Array:
    """RMS norm over the last axis. x: float32 or float16 (..., d); weight: (d,), same dtype.

    Compute the statistics in float32; return x's dtype.
    """
    raise NotImplementedError
