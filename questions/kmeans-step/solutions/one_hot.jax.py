import jax
import jax.numpy as jnp


@jax.jit
def kmeans_step(x, centroids):
    k = centroids.shape[0]
    mu = x.mean(0)
    a, b = x - mu, centroids - mu
    assign = jnp.argmin((b * b).sum(1) - 2.0 * a @ b.T, axis=1)
    onehot = jax.nn.one_hot(assign, k, dtype=x.dtype)  # (n, k)
    counts = onehot.sum(0)
    means = onehot.T @ a / jnp.maximum(counts, 1.0)[:, None] + mu
    return assign.astype(jnp.int32), jnp.where(counts[:, None] > 0, means, centroids)
