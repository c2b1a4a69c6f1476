import torch


def causal_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_padding_mask: torch.Tensor | None
) -> torch.Tensor:
    """Causal scaled dot-product attention.

    q, k, v: float32 (batch, heads, seq, dim). key_padding_mask: bool (batch, seq), True for
    real tokens, or None. A query with no key to attend to gets an output of zeros.
    """
    raise NotImplementedError
