import torch

EPS = 1e-5


def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """Layer norm over the last axis of a float32 tensor of shape (..., d); weight, bias: (d,)."""
    raise NotImplementedError
