import torch


def _f(w: torch.Tensor, X: torch.Tensor, lam: float) -> torch.Tensor:
    return torch.logsumexp(X @ w, dim=0) + 0.5 * lam * torch.dot(w, w)


def hvp(w: torch.Tensor, v: torch.Tensor, X: torch.Tensor, lam: float) -> torch.Tensor:
    # Reverse-over-reverse ("Pearlmutter's trick"): H v is the gradient of g(w) . v, where
    # g = grad f is kept differentiable (create_graph=True). A few matrix-vector products;
    # the p x p Hessian is never formed. In eager PyTorch this is faster than
    # torch.func.jvp(torch.func.grad(f), ...), the forward-over-reverse form JAX prefers.
    w = w.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(_f(w, X, lam), w, create_graph=True)
    (hv,) = torch.autograd.grad(g, w, grad_outputs=v)
    return hv
