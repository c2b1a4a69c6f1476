import torch


def apply_rope(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    dim = x.shape[-1]
    half = dim // 2
    inv_freq = 1.0 / base ** (torch.arange(half, dtype=torch.float32) * 2.0 / dim)  # (half,)
    # One angle per (batch, position, frequency), shared by every head.
    angles = positions.to(torch.float32)[:, :, None, None] * inv_freq  # (batch, seq, 1, half)
    cos, sin = angles.cos(), angles.sin()
    x1, x2 = x[..., :half], x[..., half:]
    # Rotate each pair (x[i], x[i + half]) by its angle: the "rotate_half" layout.
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)
