def pairwise_sq_distances(x, y):
    # Materialises an (n, m, d) tensor: 1 GiB for the large test.
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
