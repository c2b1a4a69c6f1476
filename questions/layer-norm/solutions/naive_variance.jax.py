import jax.numpy as jnp


def layer_norm(x, weight, bias):
    # One pass: E[x^2] - E[x]^2 cancels catastrophically when the mean is large.
    mean = x.mean(axis=-1, keepdims=True)
    var = (x * x).mean(axis=-1, keepdims=True) - mean * mean
    return (x - mean) / jnp.sqrt(var + 1e-5) * weight + bias
