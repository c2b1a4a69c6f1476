import torch


def log_softmax(x):
    # Stable, but a fully masked row computes -inf - (-inf) = NaN instead of -inf.
    m = x.amax(dim=-1, keepdim=True)
    shifted = x - m
    return shifted - shifted.exp().sum(dim=-1, keepdim=True).log()
