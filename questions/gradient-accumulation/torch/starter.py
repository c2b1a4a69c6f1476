import torch


def accumulated_grad(
    params: dict[str, torch.Tensor], micro_batches: tuple[tuple[torch.Tensor, torch.Tensor], ...]
) -> dict[str, torch.Tensor]:
    """Gradient of the mean cross-entropy over all examples of all micro-batches.

    params: w1 (D, H), b1 (H,), w2 (H, C), b2 (C,). micro_batches: ((x, y), ...) with
    x float32 (n_i, D) and y int64 (n_i,). Return a dict of gradients shaped like params.
    """
    raise NotImplementedError
