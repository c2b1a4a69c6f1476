import torch


def dropout(x, p, rng):
    # Ignores the seed and draws from torch's global generator: a different mask every call.
    if p == 1.0:
        return torch.zeros_like(x)
    keep = torch.rand(x.shape) >= p
    return torch.where(keep, x / (1 - p), torch.zeros_like(x))
