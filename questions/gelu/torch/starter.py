import torch


def gelu(x: torch.Tensor, approximate: bool) -> torch.Tensor:
    """GELU of a float32 tensor: the exact erf form, or the tanh approximation if approximate."""
    raise NotImplementedError
