import torch
from torch.func import hessian


def f(w, X, lam):
    return torch.logsumexp(X @ w, dim=0) + 0.5 * lam * torch.dot(w, w)


def hvp(w, v, X, lam):
    # Builds the whole p x p Hessian first: 1 GiB for p = 16384.
    return hessian(f)(w, X, lam) @ v
