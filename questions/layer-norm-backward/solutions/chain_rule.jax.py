import jax
import jax.numpy as jnp


@jax.jit
def layer_norm_backward(x, gamma, dy, eps):
    # Step by step through the forward graph: xhat, then var, then mean.
    d = x.shape[-1]
    mean = x.mean(-1, keepdims=True)
    xc = x - mean
    var = (xc * xc).mean(-1, keepdims=True)
    rstd = 1.0 / jnp.sqrt(var + eps)
    xhat = xc * rstd
    dxhat = dy * gamma
    dvar = jnp.sum(dxhat * xc, -1, keepdims=True) * -0.5 * rstd**3
    dmean = -jnp.sum(dxhat, -1, keepdims=True) * rstd + dvar * jnp.mean(-2.0 * xc, -1, keepdims=True)
    dx = dxhat * rstd + dvar * 2.0 * xc / d + dmean / d
    return dx, jnp.sum(dy * xhat, 0), jnp.sum(dy, 0)
