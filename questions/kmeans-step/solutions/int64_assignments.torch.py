import torch


def kmeans_step(x, centroids):
    k = centroids.shape[0]
    mu = x.mean(0)
    a, b = x - mu, centroids - mu
    assign = torch.addmm((b * b).sum(1), a, b.T, alpha=-2.0).argmin(1)  # int64
    counts = torch.bincount(assign, minlength=k)
    sums = torch.zeros_like(centroids).index_add_(0, assign, a)
    new = torch.where((counts > 0)[:, None], sums / counts.clamp(min=1)[:, None] + mu, centroids)
    return assign, new
