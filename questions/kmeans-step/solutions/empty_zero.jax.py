import jax
import jax.numpy as jnp


@jax.jit
def kmeans_step(x, centroids):
    k = centroids.shape[0]
    mu = x.mean(0)
    a, b = x - mu, centroids - mu
    assign = jnp.argmin((b * b).sum(1) - 2.0 * a @ b.T, axis=1)
    counts = jnp.bincount(assign, length=k)
    sums = jax.ops.segment_sum(x, assign, num_segments=k)
    return assign.astype(jnp.int32), sums / jnp.maximum(counts, 1)[:, None]  # empty -> 0
