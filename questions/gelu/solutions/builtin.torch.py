import torch.nn.functional as F


def gelu(x, approximate):
    return F.gelu(x, approximate="tanh" if approximate else "none")
