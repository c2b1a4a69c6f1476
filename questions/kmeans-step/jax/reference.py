import jax
import jax.numpy as jnp


@jax.jit
def kmeans_step(x: jax.Array, centroids: jax.Array) -> tuple[jax.Array, jax.Array]:
    k = centroids.shape[0]
    # Squared distances by the expansion |a|^2 + |b|^2 - 2 a.b (no (n, k, d) array), after
    # shifting everything by the points' mean: the terms then have the size of the data's
    # spread, not of its distance from the origin, and float32 rounding stays small.
    shift = x.mean(axis=0)
    a, b = x - shift, centroids - shift
    dist = (b * b).sum(1) - 2.0 * (a @ b.T)  # |a|^2 is the same for every centroid: skip it
    assign = jnp.argmin(dist, axis=1)  # the first minimum on ties
    counts = jnp.bincount(assign, length=k)
    sums = jax.ops.segment_sum(a, assign, num_segments=k)  # sums of shifted points
    means = sums / jnp.maximum(counts, 1)[:, None].astype(x.dtype) + shift
    new = jnp.where((counts > 0)[:, None], means, centroids)  # empty: keep the old one
    return assign.astype(jnp.int32), new
