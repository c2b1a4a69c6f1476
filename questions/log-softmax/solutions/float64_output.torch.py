import torch


def log_softmax(x):
    # Right values, wrong dtype: the contract is float32 in, float32 out.
    x = x.double()
    m = x.amax(dim=-1, keepdim=True)
    m = torch.where(torch.isneginf(m), torch.zeros_like(m), m)
    return (x - m) - (x - m).exp().sum(dim=-1, keepdim=True).clamp_min(1.0).log()
