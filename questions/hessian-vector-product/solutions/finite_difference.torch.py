import torch


def _grad(w, X, lam):
    w = w.detach().requires_grad_(True)
    value = torch.logsumexp(X @ w, dim=0) + 0.5 * lam * torch.dot(w, w)
    return torch.autograd.grad(value, w)[0]


def hvp(w, v, X, lam):
    # Central difference of the gradient: truncation error ~ eps^2, rounding error ~ 6e-8 / eps.
    eps = 1e-2 / max(v.norm().item(), 1e-30)
    return (_grad(w + eps * v, X, lam) - _grad(w - eps * v, X, lam)) / (2 * eps)
