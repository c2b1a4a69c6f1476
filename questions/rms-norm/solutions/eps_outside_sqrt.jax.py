import jax.numpy as jnp


def rms_norm(x, weight, eps):
    # Adds eps to the RMS rather than to the mean of squares.
    h = x.astype(jnp.float32)
    rms = jnp.sqrt(jnp.mean(h * h, axis=-1, keepdims=True))
    return (h / (rms + eps) * weight.astype(jnp.float32)).astype(x.dtype)
