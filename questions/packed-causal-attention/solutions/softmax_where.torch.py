import math

import torch


def packed_causal_attention(q, k, v, segment_ids):
    t = q.shape[1]
    scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(q.shape[-1])
    same = segment_ids.unsqueeze(2) == segment_ids.unsqueeze(1)
    allowed = same & torch.tril(torch.ones(t, t, dtype=torch.bool)) & (segment_ids != 0).unsqueeze(2)
    allowed = allowed.unsqueeze(1)
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    # Padding queries have no allowed key: their softmax row is NaN, so replace it by zeros.
    weights = torch.where(allowed.any(dim=-1, keepdim=True), weights, torch.zeros_like(weights))
    return torch.einsum("bhqk,bkhd->bqhd", weights, v)
