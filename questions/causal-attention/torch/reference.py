import torch


def causal_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_padding_mask: torch.Tensor | None
) -> torch.Tensor:
    s, d = q.shape[-2], q.shape[-1]
    scores = (q * d**-0.5) @ k.transpose(-1, -2)
    allowed = torch.ones(s, s, dtype=torch.bool, device=q.device).tril()
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    scores = scores.masked_fill(~allowed, float("-inf"))
    # Softmax by hand so a row with no allowed key comes out as zeros: shift by the row max
    # (0 for such a row, whose max is -inf), and note the sum of exps is >= 1 for any row
    # with an allowed key (its max contributes exp(0) = 1) and exactly 0 otherwise.
    row_max = scores.amax(dim=-1, keepdim=True)
    row_max = torch.where(torch.isneginf(row_max), 0.0, row_max)
    weights = (scores - row_max).exp()
    total = weights.sum(dim=-1, keepdim=True)
    return (weights @ v) / total.clamp_min(1.0)
