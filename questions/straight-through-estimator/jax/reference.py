import jax
import jax.numpy as jnp


@jax.custom_vjp
def binarize(x: jax.Array) -> jax.Array:
    """Forward: +1 where x >= 0, else -1. Backward: pass the gradient through where |x| <= 1."""
    return jnp.where(x >= 0, 1.0, -1.0).astype(x.dtype)  # -0.0 >= 0 is true: -0.0 maps to +1


def _binarize_fwd(x):
    return binarize(x), x  # keep x for the backward pass


def _binarize_bwd(x, grad_y):
    return (jnp.where(jnp.abs(x) <= 1, grad_y, 0.0).astype(grad_y.dtype),)


binarize.defvjp(_binarize_fwd, _binarize_bwd)


@jax.jit
def ste_binarize(x: jax.Array, upstream: jax.Array) -> tuple[jax.Array, jax.Array]:
    y, pullback = jax.vjp(binarize, x)
    (dx,) = pullback(upstream)
    return y, dx
