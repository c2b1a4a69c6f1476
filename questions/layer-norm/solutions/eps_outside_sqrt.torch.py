import torch


def layer_norm(x, weight, bias):
    # Adds eps to the standard deviation instead of the variance.
    mean = x.mean(dim=-1, keepdim=True)
    std = ((x - mean) ** 2).mean(dim=-1, keepdim=True).sqrt()
    return (x - mean) / (std + 1e-5) * weight + bias
