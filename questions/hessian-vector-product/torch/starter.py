import torch


def f(w: torch.Tensor, X: torch.Tensor, lam: float) -> torch.Tensor:
    """The scalar function whose Hessian-vector product is asked for."""
    return torch.logsumexp(X @ w, dim=0) + 0.5 * lam * torch.dot(w, w)


def hvp(w: torch.Tensor, v: torch.Tensor, X: torch.Tensor, lam: float) -> torch.Tensor:
    """Return H v, where H is the Hessian of f(., X, lam) at w; shape (p,)."""
    raise NotImplementedError
