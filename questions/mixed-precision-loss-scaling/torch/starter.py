import torch


def train_mixed_precision(
    params: dict[str, torch.Tensor],
    xs: torch.Tensor,
    ys: torch.Tensor,
    lr: float,
    init_scale: float,
    growth_interval: int,
) -> tuple[dict[str, torch.Tensor], torch.Tensor, torch.Tensor]:
    """len(xs) SGD steps of linear regression, pred = x @ w + b, loss = mean((pred - y) ** 2),
    with float32 master weights, float16 forward/backward copies and a dynamic loss scale.

    params: {"w": float32 (D, K), "b": float32 (K,)}; xs: float32 (T, N, D); ys: float32 (T, N, K).
    Each step: float16 copies of the masters, scaled loss, float16 gradients, unscale in float32;
    any inf/NaN: skip the step, halve the scale; otherwise update the masters and double the
    scale after growth_interval consecutive good steps.
    Returns (master params, float32, as a dict like params; scales, float32 (T + 1,), scales[0] =
    init_scale and scales[t + 1] the scale after step t; skipped, bool (T,)).
    """
    raise NotImplementedError
