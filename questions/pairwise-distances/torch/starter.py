import torch


def pairwise_sq_distances(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D[i, j] = |x[i] - y[j]|^2 for x of shape (n, d) and y of shape (m, d); D has shape (n, m)."""
    raise NotImplementedError
