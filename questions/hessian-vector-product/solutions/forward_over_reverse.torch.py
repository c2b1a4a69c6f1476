import torch
from torch.func import grad, jvp


def f(w, X, lam):
    return torch.logsumexp(X @ w, dim=0) + 0.5 * lam * torch.dot(w, w)


def hvp(w, v, X, lam):
    return jvp(lambda w_: grad(f)(w_, X, lam), (w,), (v,))[1]
