import torch


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Nucleus filtering of float32 logits (batch, vocab): removed tokens become -inf."""
    raise NotImplementedError
