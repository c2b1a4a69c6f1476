import torch


def rms_norm(x, weight, eps):
    h = x.to(torch.float32)
    ms = h.pow(2).mean(dim=-1, keepdim=True)
    return (h / torch.sqrt(ms + eps) * weight.to(torch.float32)).to(x.dtype)
