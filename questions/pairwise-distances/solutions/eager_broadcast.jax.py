import jax.numpy as jnp


def pairwise_sq_distances(x, y):
    # Without jit every op runs on its own and the (n, m, d) difference is stored: 1 GiB.
    return jnp.sum((x[:, None, :] - y[None, :, :]) ** 2, axis=-1)
