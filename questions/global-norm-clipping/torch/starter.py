import torch


def clip_by_global_norm(
    grads: dict[str, torch.Tensor], max_norm: float
) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Scale every gradient by min(1, max_norm / global_norm); return (clipped, global_norm).

    global_norm is the L2 norm of all gradients together, as a 0-d float32 tensor.
    """
    raise NotImplementedError
