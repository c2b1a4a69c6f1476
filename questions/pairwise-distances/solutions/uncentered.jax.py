import jax
import jax.numpy as jnp


@jax.jit
def pairwise_sq_distances(x, y):
    # Expanded around the origin: catastrophic cancellation for points far from it.
    sq = (x * x).sum(1)[:, None] + (y * y).sum(1)[None, :] - 2.0 * x @ y.T
    return jnp.maximum(sq, 0.0)
