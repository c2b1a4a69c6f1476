import math

import torch


def packed_causal_attention(q, k, v, segment_ids):
    # Treats id 0 as one more sequence: padding tokens attend to earlier padding instead of
    # giving zeros.
    t = q.shape[1]
    scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(q.shape[-1])
    same = segment_ids.unsqueeze(2) == segment_ids.unsqueeze(1)
    allowed = (same & torch.tril(torch.ones(t, t, dtype=torch.bool))).unsqueeze(1)
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    return torch.einsum("bhqk,bkhd->bqhd", weights, v)
