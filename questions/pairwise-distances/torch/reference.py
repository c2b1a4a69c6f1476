import torch


def pairwise_sq_distances(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    # |x - y|^2 = |x|^2 + |y|^2 - 2 x.y needs only the (n, m) result, never (n, m, d). Its terms
    # are as large as |x|^2, so shift both sets by a common point first (distances do not
    # change): for a cloud far from the origin the terms shrink to its spread.
    centre = torch.cat([x, y]).mean(dim=0)
    a, b = x - centre, y - centre
    sq = (a * a).sum(1, keepdim=True) + (b * b).sum(1) - 2.0 * (a @ b.T)
    return sq.clamp_(min=0.0)  # rounding can leave tiny negatives for (near-)equal points
