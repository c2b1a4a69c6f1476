import torch


def dropout(x, p, rng):
    # Drops entries but forgets to scale the survivors by 1 / (1 - p).
    gen = torch.Generator().manual_seed(rng["seed"])
    keep = torch.rand(x.shape, generator=gen) >= p
    return torch.where(keep, x, torch.zeros_like(x))
