import torch


def lr_schedule(
    steps: torch.Tensor, base_lr: float, min_lr: float, warmup_steps: int, total_steps: int
) -> torch.Tensor:
    """Learning rate at each step: linear warm-up, then cosine decay to min_lr.

    steps: int32 tensor of shape (n,). Return a float32 tensor of shape (n,).
    """
    raise NotImplementedError
