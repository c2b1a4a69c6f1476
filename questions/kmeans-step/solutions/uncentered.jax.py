import jax
import jax.numpy as jnp


@jax.jit
def kmeans_step(x, centroids):
    k = centroids.shape[0]
    # Around the origin: |x|^2 + |c|^2 - 2 x.c cancels catastrophically far from it.
    dist = (x * x).sum(1)[:, None] + (centroids * centroids).sum(1)[None, :] - 2.0 * x @ centroids.T
    assign = jnp.argmin(dist, axis=1)
    counts = jnp.bincount(assign, length=k)
    sums = jax.ops.segment_sum(x, assign, num_segments=k)
    new = jnp.where((counts > 0)[:, None], sums / jnp.maximum(counts, 1)[:, None], centroids)
    return assign.astype(jnp.int32), new
