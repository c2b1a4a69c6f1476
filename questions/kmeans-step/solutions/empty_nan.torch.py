import torch


def kmeans_step(x, centroids):
    k = centroids.shape[0]
    mu = x.mean(0)
    a, b = x - mu, centroids - mu
    assign = torch.addmm((b * b).sum(1), a, b.T, alpha=-2.0).argmin(1)
    counts = torch.bincount(assign, minlength=k)
    sums = torch.zeros_like(centroids).index_add_(0, assign, a)
    return assign.int(), sums / counts[:, None] + mu  # 0 / 0 for an empty cluster
