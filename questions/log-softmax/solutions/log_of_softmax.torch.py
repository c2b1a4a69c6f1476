import torch


def log_softmax(x):
    # A stable softmax, then log: entries far below the maximum underflow to 0 and become -inf.
    m = x.amax(dim=-1, keepdim=True)
    m = torch.where(torch.isneginf(m), torch.zeros_like(m), m)
    e = (x - m).exp()
    s = e.sum(dim=-1, keepdim=True)
    return torch.where(s > 0, (e / s.clamp_min(1.0)).log(), torch.full_like(x, float("-inf")))
