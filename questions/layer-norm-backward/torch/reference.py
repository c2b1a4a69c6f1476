import torch


def layer_norm_backward(
    x: torch.Tensor, gamma: torch.Tensor, dy: torch.Tensor, eps: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    # Forward statistics, two passes: E[x^2] - E[x]^2 would cancel when |mean| >> std.
    mean = x.mean(dim=-1, keepdim=True)
    centred = x - mean
    rstd = torch.rsqrt(centred.square().mean(dim=-1, keepdim=True) + eps)  # biased variance
    xhat = centred * rstd
    # y = xhat * gamma + beta: the parameter gradients sum over the batch.
    dgamma = (dy * xhat).sum(dim=0)
    dbeta = dy.sum(dim=0)
    # Through xhat = (x - mean) * rstd: the mean and the variance depend on every x in the row,
    # which removes dxhat's mean and its component along xhat.
    dxhat = dy * gamma
    proj = (dxhat * xhat).mean(dim=-1, keepdim=True)
    dx = rstd * (dxhat - dxhat.mean(dim=-1, keepdim=True) - xhat * proj)
    return dx, dgamma, dbeta
