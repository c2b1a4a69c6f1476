import jax.numpy as jnp


def hvp(w, v, X, lam):
    # An all-zero answer: right only for v = 0, and the relative test rejects it elsewhere.
    return jnp.zeros_like(w)
