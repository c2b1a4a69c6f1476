import torch


def batch_norm_train(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    momentum: float,
    eps: float,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    # Statistics per channel (dim 1), over the batch and every spatial position.
    dims = [0, *range(2, x.dim())]
    shape = [1, -1] + [1] * (x.dim() - 2)
    count = x.numel() // x.shape[1]
    # Mean first, then squared deviations: E[x^2] - E[x]^2 cancels when |mean| >> std.
    mean = x.mean(dim=dims)
    centred = x - mean.view(shape)
    var = centred.square().mean(dim=dims)  # biased: this is what normalises the batch
    scale = (torch.rsqrt(var + eps) * weight).view(shape)
    out = torch.addcmul(bias.view(shape), centred, scale)
    # The running variance estimates the population variance: unbiased, n / (n - 1).
    new_mean = torch.lerp(running_mean, mean, momentum)
    new_var = torch.lerp(running_var, var * (count / (count - 1)), momentum)
    return out, new_mean, new_var
