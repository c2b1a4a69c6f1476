import torch


def sgd_momentum(
    params: dict[str, torch.Tensor],
    grads: dict[str, torch.Tensor],
    momentum_buffer: dict[str, torch.Tensor],
    lr: float,
    momentum: float,
    weight_decay: float,
    nesterov: bool,
) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    """Apply grads[name][0], grads[name][1], ... as consecutive SGD-with-momentum steps.

    Return (new_params, new_momentum_buffer), dicts with the same keys and shapes as the inputs.
    """
    raise NotImplementedError
