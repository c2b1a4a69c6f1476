import jax
import jax.numpy as jnp


@jax.jit
def layer_norm_backward(x, gamma, dy, eps):
    mean = x.mean(-1, keepdims=True)
    rstd = jax.lax.rsqrt(jnp.var(x, -1, keepdims=True) + eps)
    xhat = (x - mean) * rstd
    dxhat = dy * gamma
    dx = rstd * (dxhat - dxhat.mean(-1, keepdims=True) - xhat * (dxhat * xhat).mean(-1, keepdims=True))
    # Per-example parameter gradients: shape (n, d), not summed over the batch.
    return dx, dy * xhat, dy
