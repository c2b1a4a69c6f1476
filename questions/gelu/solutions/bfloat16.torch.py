import math

import torch


def gelu(x, approximate):
    h = x.to(torch.bfloat16)
    if approximate:
        y = 0.5 * h * (1 + torch.tanh(math.sqrt(2 / math.pi) * (h + 0.044715 * h**3)))
    else:
        y = 0.5 * h * (1 + torch.erf(h / math.sqrt(2)))
    return y.float()
