import math

import torch


def packed_causal_attention(q, k, v, segment_ids):
    # An ordinary causal mask over the whole packed row: a token also attends to the earlier
    # sequences packed before it (cross-document leakage). Padding is still handled.
    t = q.shape[1]
    scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(q.shape[-1])
    real = segment_ids != 0
    allowed = torch.tril(torch.ones(t, t, dtype=torch.bool)) & real.unsqueeze(2) & real.unsqueeze(1)
    allowed = allowed.unsqueeze(1)
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    weights = torch.where(allowed.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights))
    return torch.einsum("bhqk,bkhd->bqhd", weights, v)
