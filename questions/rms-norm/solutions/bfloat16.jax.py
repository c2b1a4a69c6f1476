import jax
import jax.numpy as jnp


def rms_norm(x, weight, eps):
    h = x.astype(jnp.bfloat16)
    h = h * jax.lax.rsqrt(jnp.mean(h * h, axis=-1, keepdims=True) + eps)
    return (h * weight.astype(jnp.bfloat16)).astype(x.dtype)
