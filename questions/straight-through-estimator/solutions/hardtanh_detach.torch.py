import torch
import torch.nn.functional as F


def ste_binarize(x, upstream):
    x = x.detach().requires_grad_(True)
    c = F.hardtanh(x)  # its derivative is 1 strictly inside (-1, 1) and 0 at x = +-1
    q = torch.where(x >= 0, 1.0, -1.0)
    y = c + (q - c).detach()
    (dx,) = torch.autograd.grad(y, x, grad_outputs=upstream)
    return y.detach(), dx
