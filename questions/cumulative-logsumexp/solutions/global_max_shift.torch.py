import torch


def cumulative_logsumexp(x):
    # Shifts by the row maximum: safe from overflow, but exp(x - max) underflows to 0 for
    # entries far below the maximum, so early prefixes become log(0) = -inf.
    m = x.amax(dim=-1, keepdim=True)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    return m + torch.log(torch.cumsum(torch.exp(x - m), dim=-1))
