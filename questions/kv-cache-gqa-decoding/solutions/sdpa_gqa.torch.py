import torch
import torch.nn.functional as F


def kv_cache_decode(q, k, v, k_cache, v_cache, prompt_len):
    # Lets scaled_dot_product_attention do the grouping (enable_gqa) and the masking.
    out = torch.empty_like(q)
    max_len = k_cache.shape[1]
    for start, stop in [(0, prompt_len)] + [(t, t + 1) for t in range(prompt_len, q.shape[1])]:
        k_cache[:, start:stop], v_cache[:, start:stop] = k[:, start:stop], v[:, start:stop]
        allowed = torch.arange(max_len)[None, :] <= torch.arange(start, stop)[:, None]
        out[:, start:stop] = F.scaled_dot_product_attention(
            q[:, start:stop].transpose(1, 2), k_cache.transpose(1, 2), v_cache.transpose(1, 2),
            attn_mask=allowed, enable_gqa=True,
        ).transpose(1, 2)
    return out, k_cache, v_cache
