import math

import torch


def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    # Warm-up from (t + 1) / warmup_steps: lr(0) is not 0 (and t + 1 overflows int32 near 2**31).
    t = steps + 1
    warm = base_lr * t.float() / max(warmup_steps, 1)
    p = ((steps - warmup_steps).clamp(0, total_steps - warmup_steps)).float() / (total_steps - warmup_steps)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + torch.cos(math.pi * p))
    lr = torch.where(steps < warmup_steps, warm, cosine)
    return torch.where(steps >= total_steps, torch.full_like(lr, min_lr), lr)
