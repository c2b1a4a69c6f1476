import jax
import jax.numpy as jnp


@jax.jit
def kmeans_step(x, centroids):
    k = centroids.shape[0]
    mu = x.mean(0)
    a, b = (x - mu).astype(jnp.bfloat16), (centroids - mu).astype(jnp.bfloat16)
    assign = jnp.argmin((b * b).sum(1) - 2 * a @ b.T, axis=1)
    counts = jnp.bincount(assign, length=k)
    sums = jax.ops.segment_sum(x - mu, assign, num_segments=k)
    new = jnp.where((counts > 0)[:, None], sums / jnp.maximum(counts, 1)[:, None] + mu, centroids)
    return assign.astype(jnp.int32), new
