import jax
import jax.numpy as jnp


def rms_norm(x, weight, eps):
    # jax.nn.standardize with mean=0 divides by sqrt(mean(x^2) + eps): a built-in RMS norm.
    h = x.astype(jnp.float32)
    y = jax.nn.standardize(h, axis=-1, mean=0.0, epsilon=eps) * weight.astype(jnp.float32)
    return y.astype(x.dtype)
