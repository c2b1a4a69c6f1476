import torch


def packed_causal_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, segment_ids: torch.Tensor
) -> torch.Tensor:
    """Causal attention within packed sequences.

    q, k, v: float32 (batch, seq, heads, dim). segment_ids: int32 (batch, seq), contiguous runs
    of 1, 2, 3, ... (one per packed sequence) and then 0 for padding. A token attends to the
    tokens of its own sequence at or before it; a padding token's output is zeros.
    """
    raise NotImplementedError
