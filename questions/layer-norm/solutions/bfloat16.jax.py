import jax
import jax.numpy as jnp


def layer_norm(x, weight, bias):
    x = x.astype(jnp.bfloat16)
    mean = x.mean(axis=-1, keepdims=True)
    var = jnp.square(x - mean).mean(axis=-1, keepdims=True)
    y = (x - mean) * jax.lax.rsqrt(var + 1e-5) * weight.astype(jnp.bfloat16) + bias.astype(jnp.bfloat16)
    return y.astype(jnp.float32)
