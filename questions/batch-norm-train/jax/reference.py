import jax
import jax.numpy as jnp


@jax.jit
def batch_norm_train(
    x: jax.Array,
    weight: jax.Array,
    bias: jax.Array,
    running_mean: jax.Array,
    running_var: jax.Array,
    momentum: float,
    eps: float,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    # Statistics per channel (axis 1), over the batch and every spatial position.
    axes = (0, *range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    count = x.size // x.shape[1]
    # Mean first, then squared deviations: E[x^2] - E[x]^2 cancels when |mean| >> std.
    mean = jnp.mean(x, axis=axes)
    centred = x - mean.reshape(shape)
    var = jnp.mean(jnp.square(centred), axis=axes)  # biased: this is what normalises the batch
    scale = (jax.lax.rsqrt(var + eps) * weight).reshape(shape)
    out = centred * scale + bias.reshape(shape)
    # The running variance estimates the population variance: unbiased, n / (n - 1).
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * var * (count / (count - 1))
    return out, new_mean, new_var
