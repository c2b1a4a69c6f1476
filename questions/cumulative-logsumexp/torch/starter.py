import torch


def cumulative_logsumexp(x: torch.Tensor) -> torch.Tensor:
    """y[:, t] = log(sum(exp(x[:, :t+1]))) for a float32 tensor of shape (rows, cols)."""
    raise NotImplementedError
