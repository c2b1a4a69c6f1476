import math

import torch


def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    # Computes in float64 and returns float32.
    t = steps.to(torch.float64)
    lr = torch.full_like(t, min_lr)
    if warmup_steps > 0:
        lr = torch.where(t < warmup_steps, base_lr * t / warmup_steps, lr)
    p = (t - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + torch.cos(math.pi * p))
    lr = torch.where((t >= warmup_steps) & (t < total_steps), cosine, lr)
    return lr.to(torch.float32)
