import jax
import jax.numpy as jnp


@jax.custom_vjp
def binarize(x):
    return jnp.where(x >= 0, 1.0, -1.0).astype(x.dtype)


def _fwd(x):
    return binarize(x), x


def _bwd(x, g):
    return (jnp.where(jnp.abs(x) < 1, g, 0.0),)  # should be <= 1


binarize.defvjp(_fwd, _bwd)


@jax.jit
def ste_binarize(x, upstream):
    y, pullback = jax.vjp(binarize, x)
    return y, pullback(upstream)[0]
