import jax
import jax.numpy as jnp


def f(w: jax.Array, X: jax.Array, lam: float) -> jax.Array:
    """The scalar function whose Hessian-vector product is asked for."""
    return jax.nn.logsumexp(X @ w) + 0.5 * lam * jnp.vdot(w, w)


def hvp(w: jax.Array, v: jax.Array, X: jax.Array, lam: float) -> jax.Array:
    """Return H v, where H is the Hessian of f(., X, lam) at w; shape (p,)."""
    raise NotImplementedError
