import math

import torch


def causal_attention(q, k, v, key_padding_mask):
    # Applies the padding mask but forgets the causal one: queries see future keys.
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if key_padding_mask is None:
        return torch.softmax(scores, dim=-1) @ v
    allowed = key_padding_mask[:, None, None, :].expand_as(scores)
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    return torch.where(allowed.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights)) @ v
