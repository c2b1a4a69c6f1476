import torch


def dropout(x, p, rng):
    if p >= 1.0:
        return torch.zeros_like(x)  # 1 / (1 - p) would be inf, and 0 * inf = NaN
    # All randomness from a generator seeded by the caller: same seed, same mask.
    gen = torch.Generator(device=x.device).manual_seed(rng["seed"])
    keep = torch.rand(x.shape, generator=gen, device=x.device) >= p  # P(keep) = 1 - p
    # Inverted dropout: scale the kept entries now so that evaluation needs no rescaling.
    return torch.where(keep, x * (1.0 / (1.0 - p)), torch.zeros_like(x))
