import jax
import jax.numpy as jnp


@jax.jit
def hvp(w, v, X, lam):
    # H = X^T (diag(s) - s s^T) X + lam I, applied right to left: two matrix-vector products.
    s = jax.nn.softmax(X @ w)
    u = X @ v
    return X.T @ (s * u - s * jnp.dot(s, u)) + lam * v
