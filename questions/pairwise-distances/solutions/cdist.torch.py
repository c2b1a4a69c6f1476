import torch


def pairwise_sq_distances(x, y):
    return torch.cdist(x, y) ** 2
