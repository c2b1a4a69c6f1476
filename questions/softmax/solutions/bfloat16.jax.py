import jax.numpy as jnp


def softmax(x):
    x = x.astype(jnp.bfloat16)
    e = jnp.exp(x - x.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(jnp.float32)
