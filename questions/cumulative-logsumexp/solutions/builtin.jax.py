import jax


def cumulative_logsumexp(x):
    return jax.lax.cumlogsumexp(x, axis=x.ndim - 1)
