import math

import torch


def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    # Decays base_lr to 0 and clamps at min_lr, instead of decaying from base_lr to min_lr.
    t = steps.float()
    warm = base_lr * t / max(warmup_steps, 1)
    p = ((steps - warmup_steps).clamp(0, total_steps - warmup_steps)).float() / (total_steps - warmup_steps)
    cosine = (0.5 * base_lr * (1 + torch.cos(math.pi * p))).clamp_min(min_lr)
    return torch.where(steps < warmup_steps, warm, cosine)
