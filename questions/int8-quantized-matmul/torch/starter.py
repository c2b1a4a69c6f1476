import torch


def int8_matmul(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """x @ w.T through int8: x float32 (batch, in) quantized per row, w float32 (out, in)
    quantized per output channel, int32 accumulation; returns float32 (batch, out)."""
    raise NotImplementedError
