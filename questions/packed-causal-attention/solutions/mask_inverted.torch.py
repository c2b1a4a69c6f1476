import math

import torch


def packed_causal_attention(q, k, v, segment_ids):
    # Builds the allowed set correctly, then passes it to masked_fill, whose mask means "fill
    # here": every allowed score becomes -inf and only the forbidden keys are attended to.
    t = q.shape[1]
    scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(q.shape[-1])
    same = segment_ids.unsqueeze(2) == segment_ids.unsqueeze(1)
    allowed = (same & torch.tril(torch.ones(t, t, dtype=torch.bool)) & (segment_ids != 0).unsqueeze(2)).unsqueeze(1)
    masked = scores.masked_fill(allowed, float("-inf"))
    weights = torch.softmax(masked, dim=-1)
    weights = torch.where(torch.isneginf(masked).all(dim=-1, keepdim=True), torch.zeros_like(weights), weights)
    return torch.einsum("bhqk,bkhd->bqhd", weights, v)
