import torch


class BinarizeSTE(torch.autograd.Function):
    """Forward: +1 where x >= 0, else -1. Backward: pass the gradient through where |x| <= 1."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        one = torch.ones((), dtype=x.dtype)
        return torch.where(x >= 0, one, -one)  # -0.0 >= 0 is true, so -0.0 maps to +1

    @staticmethod
    def backward(ctx, grad_y: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return grad_y * (x.abs() <= 1).to(grad_y.dtype)


def ste_binarize(x: torch.Tensor, upstream: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    x = x.detach().requires_grad_(True)
    y = BinarizeSTE.apply(x)
    (dx,) = torch.autograd.grad(y, x, grad_outputs=upstream)
    return y.detach(), dx
