import jax
import jax.numpy as jnp


def batch_norm_train(x, weight, bias, running_mean, running_var, momentum, eps):
    # Move channels last so every statistic is a reduction over the leading axes.
    xc = jnp.moveaxis(x, 1, -1)
    axes = tuple(range(xc.ndim - 1))
    mean = xc.mean(axis=axes)
    var = jnp.square(xc - mean).mean(axis=axes)
    m = x.size // x.shape[1]
    y = (xc - mean) * jax.lax.rsqrt(var + eps) * weight + bias
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    return jnp.moveaxis(y, -1, 1), new_mean, new_var
