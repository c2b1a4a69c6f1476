import jax
import jax.numpy as jnp


def pairwise_sq_distances(x: jax.Array, y: jax.Array) -> jax.Array:
    """D[i, j] = |x[i] - y[j]|^2 for x of shape (n, d) and y of shape (m, d); D has shape (n, m)."""
    raise NotImplementedError
