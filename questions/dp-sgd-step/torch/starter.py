import torch


def dp_sgd_step(
    params: dict[str, torch.Tensor],
    x: torch.Tensor,
    y: torch.Tensor,
    noise: dict[str, torch.Tensor],
    lr: float,
    clip_norm: float,
    noise_multiplier: float,
) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    """One DP-SGD step for the linear model x @ w + b with loss 0.5 * ||x_i w + b - y_i||^2.

    params: {"w": (d, k), "b": (k,)}; x: (batch, d); y: (batch, k); noise: standard normal
    draws shaped like params. Clip each example's gradient to norm clip_norm, sum, add
    noise_multiplier * clip_norm * noise, divide by batch, and step. Returns (new_params,
    noisy_grad), both dicts with the keys of params.
    """
    raise NotImplementedError
