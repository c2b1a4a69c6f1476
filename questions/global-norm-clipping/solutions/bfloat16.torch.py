import torch


def clip_by_global_norm(grads, max_norm):
    # Scaled (no overflow) but in bfloat16: about 3 significant digits.
    leaves = [g.bfloat16() for g in grads.values() if g.numel()]
    m = torch.stack([g.abs().amax() for g in leaves]).amax()
    m = torch.where(m > 0, m, torch.ones_like(m))
    norm = (m * torch.stack([((g / m) ** 2).sum() for g in leaves]).sum().sqrt()).float()
    scale = max_norm / torch.clamp(norm, min=max_norm)
    return {k: (g.bfloat16() * scale.bfloat16()).float() for k, g in grads.items()}, norm
