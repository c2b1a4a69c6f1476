import torch


def dropout(x, p, rng):
    if p == 1.0:
        return torch.zeros_like(x)
    gen = torch.Generator().manual_seed(rng["seed"])
    mask = torch.empty_like(x).bernoulli_(1 - p, generator=gen)
    return x * mask / (1 - p)
