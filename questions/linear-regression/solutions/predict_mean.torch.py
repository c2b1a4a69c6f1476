import torch


def train(x, y):
    # Skips training: predicts the mean target everywhere.
    return torch.zeros(x.shape[1], 1), y.mean().reshape(1)
