import torch


def kmeans_step(x: torch.Tensor, centroids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    k = centroids.shape[0]
    # Squared distances by the expansion |a|^2 + |b|^2 - 2 a.b (no (n, k, d) tensor), after
    # shifting everything by the points' mean: the terms then have the size of the data's
    # spread, not of its distance from the origin, and float32 rounding stays small.
    shift = x.mean(dim=0)
    a, b = x - shift, centroids - shift
    # |b|^2 - 2 a.b in one fused call; |a|^2 is the same for every centroid: skip it.
    dist = torch.addmm((b * b).sum(1), a, b.T, alpha=-2.0)
    assign = dist.argmin(dim=1)  # the first minimum on ties
    counts = torch.bincount(assign, minlength=k)
    sums = torch.zeros_like(centroids).index_add_(0, assign, a)  # sums of shifted points
    means = sums / counts.clamp(min=1).unsqueeze(1).to(x.dtype) + shift
    new = torch.where((counts > 0).unsqueeze(1), means, centroids)  # empty: keep the old one
    return assign.to(torch.int32), new
