import jax
import jax.numpy as jnp


def _f(w: jax.Array, X: jax.Array, lam: float) -> jax.Array:
    return jax.nn.logsumexp(X @ w) + 0.5 * lam * jnp.vdot(w, w)


@jax.jit
def hvp(w: jax.Array, v: jax.Array, X: jax.Array, lam: float) -> jax.Array:
    # Forward-over-reverse: the directional derivative (JVP) of the gradient along v is H v.
    # It costs a few matrix-vector products and never forms the p x p Hessian.
    return jax.jvp(lambda w_: jax.grad(_f)(w_, X, lam), (w,), (v,))[1]
