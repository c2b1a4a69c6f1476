import torch


def int8_matmul(x, w):
    def quantize(a):
        scale = a.abs().max() / 127  # one scale for the whole tensor
        return torch.round(a / scale).clamp(-127, 127).to(torch.int8), scale

    qx, sx = quantize(x)
    qw, sw = quantize(w)
    return (qx.int() @ qw.int().T).float() * sx * sw
