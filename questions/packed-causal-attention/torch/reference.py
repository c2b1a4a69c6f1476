import torch


def packed_causal_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, segment_ids: torch.Tensor
) -> torch.Tensor:
    t, d = q.shape[1], q.shape[-1]
    # (b, t, h, d) -> (b, h, t, d): one score matrix per row and head.
    q, k, v = (a.transpose(1, 2) for a in (q, k, v))
    scores = (q * d**-0.5) @ k.transpose(-1, -2)
    # Block-diagonal causal mask: the same segment, not padding (id 0), and not in the future.
    same = segment_ids[:, :, None] == segment_ids[:, None, :]
    real = (segment_ids != 0)[:, :, None]
    causal = torch.ones(t, t, dtype=torch.bool, device=q.device).tril()
    allowed = (same & real & causal)[:, None]  # (b, 1, t, t), broadcast over heads
    scores = scores.masked_fill(~allowed, float("-inf"))
    # Softmax by hand so a padding query (no allowed key) comes out as zeros: shift by the row
    # max (0 for such a row, whose max is -inf); the sum of exps is >= 1 for any row with an
    # allowed key (its max contributes exp(0) = 1) and exactly 0 otherwise.
    row_max = scores.amax(dim=-1, keepdim=True)
    row_max = torch.where(torch.isneginf(row_max), 0.0, row_max)
    weights = (scores - row_max).exp()
    total = weights.sum(dim=-1, keepdim=True)
    out = (weights @ v) / total.clamp_min(1.0)
    return out.transpose(1, 2)
