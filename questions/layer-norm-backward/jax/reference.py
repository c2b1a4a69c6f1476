import jax
import jax.numpy as jnp


@jax.jit
def layer_norm_backward(
    x: jax.Array, gamma: jax.Array, dy: jax.Array, eps: float
) -> tuple[jax.Array, jax.Array, jax.Array]:
    # Forward statistics, two passes: E[x^2] - E[x]^2 would cancel when |mean| >> std.
    mean = jnp.mean(x, axis=-1, keepdims=True)
    centred = x - mean
    rstd = jax.lax.rsqrt(jnp.mean(jnp.square(centred), axis=-1, keepdims=True) + eps)  # biased
    xhat = centred * rstd
    # y = xhat * gamma + beta: the parameter gradients sum over the batch.
    dgamma = jnp.sum(dy * xhat, axis=0)
    dbeta = jnp.sum(dy, axis=0)
    # Through xhat = (x - mean) * rstd: the mean and the variance depend on every x in the row,
    # which removes dxhat's mean and its component along xhat.
    dxhat = dy * gamma
    proj = jnp.mean(dxhat * xhat, axis=-1, keepdims=True)
    dx = rstd * (dxhat - jnp.mean(dxhat, axis=-1, keepdims=True) - xhat * proj)
    return dx, dgamma, dbeta
