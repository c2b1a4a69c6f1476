import jax.numpy as jnp


def softmax(x):
    e = jnp.exp(x)
    return e / e.sum(axis=-1, keepdims=True)
