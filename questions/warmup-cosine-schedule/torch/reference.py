import math

import torch


def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    t = steps.to(torch.float32)
    # max(..., 1): with no warm-up this branch is never selected, but must not divide by zero.
    warm = t * (base_lr / max(warmup_steps, 1))
    # The step difference is exact in int32 (steps >= 0); clamping keeps progress in [0, 1], so
    # steps past the end give cos(pi) = -1, and the where() below returns min_lr exactly there.
    done = (steps - warmup_steps).clamp(0, total_steps - warmup_steps).to(torch.float32)
    progress = done / (total_steps - warmup_steps)
    cosine = min_lr + (base_lr - min_lr) * 0.5 * (1.0 + torch.cos(math.pi * progress))
    lr = torch.where(steps < warmup_steps, warm, cosine)
    return torch.where(steps >= total_steps, torch.full_like(lr, min_lr), lr)
