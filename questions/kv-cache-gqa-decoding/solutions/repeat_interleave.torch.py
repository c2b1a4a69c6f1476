import math

import torch


def kv_cache_decode(q, k, v, k_cache, v_cache, prompt_len):
    # Expands the KV heads with repeat_interleave and reads only the written slices: torch's
    # eager shapes may vary from step to step, the cache itself does not.
    group = q.shape[2] // k.shape[2]
    out = torch.empty_like(q)
    k_cache[:, :prompt_len] = k[:, :prompt_len]
    v_cache[:, :prompt_len] = v[:, :prompt_len]
    causal = torch.ones(prompt_len, prompt_len, dtype=torch.bool).tril()
    out[:, :prompt_len] = _attend(q[:, :prompt_len], k_cache[:, :prompt_len], v_cache[:, :prompt_len], group, causal)
    for t in range(prompt_len, q.shape[1]):
        k_cache[:, t] = k[:, t]
        v_cache[:, t] = v[:, t]
        out[:, t : t + 1] = _attend(q[:, t : t + 1], k_cache[:, : t + 1], v_cache[:, : t + 1], group, None)
    return out, k_cache, v_cache


def _attend(q, keys, values, group, mask):
    keys = keys.repeat_interleave(group, dim=2)
    values = values.repeat_interleave(group, dim=2)
    scores = torch.einsum("bqhd,bshd->bhqs", q, keys) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.einsum("bhqs,bshd->bqhd", torch.softmax(scores, dim=-1), values)
