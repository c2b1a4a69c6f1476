import jax
import jax.numpy as jnp


@jax.custom_vjp
def binarize(x):
    return jnp.where(x >= 0, 1.0, -1.0).astype(x.dtype)


def _fwd(x):
    return binarize(x), jnp.abs(x) <= 1  # only the mask is needed later


def _bwd(mask, g):
    return (g * mask.astype(g.dtype),)


binarize.defvjp(_fwd, _bwd)


def ste_binarize(x, upstream):
    y, pullback = jax.vjp(binarize, x)
    return y, pullback(upstream)[0]
