import torch


def apply_rope(x, positions, base):
    half = x.shape[-1] // 2
    inv_freq = base ** (-torch.arange(0, x.shape[-1], 2, dtype=torch.float32) / x.shape[-1])
    angles = positions.float()[:, :, None, None] * inv_freq
    # Treat each pair (x[i], x[i + half]) as a complex number and multiply by e^{i angle}.
    z = torch.complex(x[..., :half], x[..., half:]) * torch.polar(torch.ones_like(angles), angles)
    return torch.cat([z.real, z.imag], dim=-1)
