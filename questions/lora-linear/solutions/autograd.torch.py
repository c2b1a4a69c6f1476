import torch


def lora_linear(x, W, b, A, B, alpha, g):
    scaling = alpha / A.shape[0]
    # Only the adapter is trainable: A and B require grad, W and b do not.
    A = A.detach().requires_grad_(True)
    B = B.detach().requires_grad_(True)
    y = x @ W.T + b + scaling * (x @ A.T) @ B.T
    grad_a, grad_b = torch.autograd.grad(y, (A, B), grad_outputs=g)
    with torch.no_grad():
        delta = scaling * B @ A
        merged = W + delta
        return y.detach(), merged, merged - delta, grad_a, grad_b
