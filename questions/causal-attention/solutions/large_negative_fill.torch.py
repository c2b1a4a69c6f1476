import math

import torch


def causal_attention(q, k, v, key_padding_mask):
    s = q.shape[-2]
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    allowed = torch.tril(torch.ones(s, s, dtype=torch.bool))
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    # -1e9 instead of -inf: a row with no allowed key becomes a uniform average, not zeros.
    return torch.softmax(scores.masked_fill(~allowed, -1e9), dim=-1) @ v
