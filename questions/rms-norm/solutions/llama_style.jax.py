import jax
import jax.numpy as jnp


def rms_norm(x, weight, eps):
    # As in Llama: normalise in float32, cast back, then multiply by the weight in x's dtype.
    h = x.astype(jnp.float32)
    h = h * jax.lax.rsqrt(jnp.mean(h * h, axis=-1, keepdims=True) + eps)
    return weight * h.astype(x.dtype)
