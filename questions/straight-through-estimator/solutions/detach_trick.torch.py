import torch


def ste_binarize(x, upstream):
    x = x.detach().requires_grad_(True)
    q = torch.where(x >= 0, 1.0, -1.0)
    # The common one-liner: rounds for large |x| and passes the gradient everywhere (no clip).
    y = x + (q - x).detach()
    (dx,) = torch.autograd.grad(y, x, grad_outputs=upstream)
    return y.detach(), dx
