import jax.numpy as jnp


def log_softmax(x):
    x = x.astype(jnp.bfloat16)
    m = x.max(axis=-1, keepdims=True)
    m = jnp.where(jnp.isneginf(m), 0, m)
    total = jnp.exp(x - m).sum(axis=-1, keepdims=True)
    return (x - m - jnp.log(jnp.maximum(total, 1))).astype(jnp.float32)
