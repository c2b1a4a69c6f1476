import torch


def softmax(x):
    x = x.to(torch.bfloat16)
    e = (x - x.amax(dim=-1, keepdim=True)).exp()
    return (e / e.sum(dim=-1, keepdim=True)).float()
