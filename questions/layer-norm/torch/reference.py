import torch

EPS = 1e-5


def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    # Two passes: the mean first, then the mean squared deviation from it. E[x^2] - E[x]^2
    # would cancel catastrophically when |mean| >> std. Biased variance, like nn.LayerNorm.
    mean = x.mean(dim=-1, keepdim=True)
    centred = x - mean
    var = centred.square().mean(dim=-1, keepdim=True)
    return torch.addcmul(bias, centred * torch.rsqrt(var + EPS), weight)
