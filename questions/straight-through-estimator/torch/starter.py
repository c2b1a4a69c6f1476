import torch


class BinarizeSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad_y: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


def ste_binarize(x: torch.Tensor, upstream: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (y, dx): y = binarize(x), dx = gradient of sum(y * upstream) with respect to x."""
    raise NotImplementedError
