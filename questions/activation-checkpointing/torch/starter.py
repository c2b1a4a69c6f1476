import torch


def checkpointed_loss_and_grads(
    params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor, segment_size: int
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Loss and gradients of a residual tanh stack, with activation checkpointing.

    params: {"w": float32 (L, W, W), "b": float32 (L, W)}; x, y: float32 (B, W).
    h_0 = x; h_{l+1} = h_l + tanh(h_l @ w[l] + b[l]); loss = mean((h_L - y) ** 2).
    Checkpoint consecutive segments of segment_size layers (the last may be shorter) with
    torch.utils.checkpoint, so that only segment inputs are kept for the backward pass.
    Returns (loss, float32 shape (); {"w": dloss/dw, "b": dloss/db}).
    """
    raise NotImplementedError
