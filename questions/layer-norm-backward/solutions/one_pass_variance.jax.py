import jax
import jax.numpy as jnp


@jax.jit
def layer_norm_backward(x, gamma, dy, eps):
    mean = x.mean(-1, keepdims=True)
    var = (x * x).mean(-1, keepdims=True) - mean * mean  # cancels when |mean| >> std
    rstd = jax.lax.rsqrt(var + eps)
    xhat = (x - mean) * rstd
    dxhat = dy * gamma
    dx = rstd * (dxhat - dxhat.mean(-1, keepdims=True) - xhat * (dxhat * xhat).mean(-1, keepdims=True))
    return dx, jnp.sum(dy * xhat, 0), jnp.sum(dy, 0)
