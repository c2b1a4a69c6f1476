import torch


def ste_binarize(x, upstream):
    x = x.detach().requires_grad_(True)
    q = torch.where(x >= 0, 1.0, -1.0)
    keep = (x.abs() <= 1).float()
    # x - x.detach() is exactly 0 in the forward pass and has gradient 1: y equals q exactly
    # and its gradient is `keep`.
    y = q + keep * (x - x.detach())
    (dx,) = torch.autograd.grad(y, x, grad_outputs=upstream)
    return y.detach(), dx
