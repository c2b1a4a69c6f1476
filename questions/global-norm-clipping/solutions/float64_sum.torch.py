import torch


def clip_by_global_norm(grads, max_norm):
    # float64 has room for the squares of 1e30 and of 1e-30 alike.
    sum_sq = sum((g.double() ** 2).sum() for g in grads.values())
    norm = torch.as_tensor(sum_sq, dtype=torch.float64).sqrt()
    scale = torch.clamp(max_norm / norm, max=1.0) if norm > 0 else torch.ones((), dtype=torch.float64)
    return {k: (g.double() * scale).float() for k, g in grads.items()}, norm.float()
