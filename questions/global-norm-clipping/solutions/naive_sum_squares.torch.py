import torch


def clip_by_global_norm(grads, max_norm):
    # Sum of squares in float32: overflows for values above ~1.8e19, underflows below ~1e-23.
    norm = torch.stack([(g * g).sum() for g in grads.values()]).sum().sqrt()
    scale = torch.clamp(max_norm / (norm + 1e-6), max=1.0)
    return {k: g * scale for k, g in grads.items()}, norm
