import torch
import torch.nn.functional as F


def packed_causal_attention(q, k, v, segment_ids):
    t = q.shape[1]
    same = segment_ids.unsqueeze(2) == segment_ids.unsqueeze(1)
    allowed = (same & torch.tril(torch.ones(t, t, dtype=torch.bool)) & (segment_ids != 0).unsqueeze(2)).unsqueeze(1)
    out = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), attn_mask=allowed)
    out = torch.where(allowed.any(dim=-1, keepdim=True), out, torch.zeros_like(out))
    return out.transpose(1, 2)
