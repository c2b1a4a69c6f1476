import torch
import torch.nn.functional as F


def causal_attention(q, k, v, key_padding_mask):
    s = q.shape[-2]
    allowed = torch.tril(torch.ones(s, s, dtype=torch.bool))
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask[:, None, None, :]
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    return torch.where(allowed.any(dim=-1, keepdim=True), out, torch.zeros_like(out))
