import torch


def apply_rope(x, positions, base):
    # The GPT-J / original-paper layout: rotates pairs (x[2i], x[2i+1]), not (x[i], x[i+half]).
    dim = x.shape[-1]
    inv_freq = 1.0 / base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim)
    angles = positions.float()[:, :, None, None] * inv_freq
    x_even, x_odd = x[..., 0::2], x[..., 1::2]
    out = torch.stack([x_even * angles.cos() - x_odd * angles.sin(),
                       x_odd * angles.cos() + x_even * angles.sin()], dim=-1)
    return out.flatten(-2)
