import torch


def apply_rope(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """Rotary position embedding of x (batch, seq, heads, head_dim) at int32 positions (batch, seq)."""
    raise NotImplementedError
