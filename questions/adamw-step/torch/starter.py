import torch


def adamw(
    params: dict[str, torch.Tensor],
    grads: dict[str, torch.Tensor],
    exp_avg: dict[str, torch.Tensor],
    exp_avg_sq: dict[str, torch.Tensor],
    step: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    """Apply grads[name][0], grads[name][1], ... as consecutive AdamW steps.

    `step` is the number of steps already taken. Return (new_params, new_exp_avg, new_exp_avg_sq).
    """
    raise NotImplementedError
