import torch
import torch.nn.functional as F


def conv2d(x, weight, bias, stride, padding):
    ph, pw = padding
    sh, sw = stride
    kh, kw = weight.shape[2:]
    xp = F.pad(x, (pw, pw, ph, ph))
    # Tensor.unfold: (n, c, oh, ow, kh, kw) windows as a strided view, no copy.
    windows = xp.unfold(2, kh, sh).unfold(3, kw, sw)
    out = torch.einsum("ncyxij,ocij->noyx", windows, weight)
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out
