import jax


@jax.jit
def pairwise_sq_distances(x, y):
    # Under jit, XLA fuses the subtraction, square and sum into one loop: the (n, m, d)
    # difference is never stored.
    diff = x[:, None, :] - y[None, :, :]
    return (diff * diff).sum(-1)
