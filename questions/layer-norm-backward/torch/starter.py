import torch


def layer_norm_backward(
    x: torch.Tensor, gamma: torch.Tensor, dy: torch.Tensor, eps: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Gradients (dx, dgamma, dbeta) of y = layer_norm(x) * gamma + beta over the last axis,
    given the upstream gradient dy = dL/dy. x, dy: float32 (n, d); gamma: float32 (d,)."""
    raise NotImplementedError
