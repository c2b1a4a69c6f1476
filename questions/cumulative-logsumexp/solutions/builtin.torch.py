import torch


def cumulative_logsumexp(x):
    return torch.logcumsumexp(x, dim=-1)
