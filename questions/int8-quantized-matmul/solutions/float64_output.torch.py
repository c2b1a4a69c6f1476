import torch


def int8_matmul(x, w):
    def quantize(a):
        scale = a.abs().amax(dim=1, keepdim=True) / 127
        q = torch.round(a / torch.where(scale == 0, 1.0, scale))
        return q.clamp(-127, 127).to(torch.int8), scale

    qx, sx = quantize(x)
    qw, sw = quantize(w)
    acc = qx.long() @ qw.long().T
    return acc.double() * sx.double() * sw.double().T  # float64, not float32
