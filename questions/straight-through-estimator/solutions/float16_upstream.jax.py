import jax
import jax.numpy as jnp


@jax.custom_vjp
def binarize(x):
    return jnp.where(x >= 0, 1.0, -1.0).astype(jnp.float16)


def _fwd(x):
    return binarize(x), x


def _bwd(x, g):
    return (jnp.where(jnp.abs(x) <= 1, g, 0.0).astype(jnp.float32),)


binarize.defvjp(_fwd, _bwd)


@jax.jit
def ste_binarize(x, upstream):
    # A half-precision output makes the cotangent half precision too.
    y, pullback = jax.vjp(binarize, x)
    return y.astype(jnp.float32), pullback(upstream.astype(jnp.float16))[0]
