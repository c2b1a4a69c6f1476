import torch


def kv_cache_decode(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    k_cache: torch.Tensor,
    v_cache: torch.Tensor,
    prompt_len: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    out = torch.empty_like(q)
    # Prefill: the whole prompt in one call, causal within itself.
    out[:, :prompt_len] = _write_and_attend(q, k, v, k_cache, v_cache, 0, prompt_len)
    # Decode: one token per call, as a model would produce them.
    for t in range(prompt_len, q.shape[1]):
        out[:, t : t + 1] = _write_and_attend(q, k, v, k_cache, v_cache, t, t + 1)
    return out, k_cache, v_cache


def _write_and_attend(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    k_cache: torch.Tensor,
    v_cache: torch.Tensor,
    start: int,
    stop: int,
) -> torch.Tensor:
    """Write tokens [start, stop) into the preallocated caches in place, then attend from their
    queries to every cache slot at or before each query's position. Slots after it are stale."""
    k_cache[:, start:stop] = k[:, start:stop]
    v_cache[:, start:stop] = v[:, start:stop]
    b, n, h, d = q[:, start:stop].shape
    kv_heads = k_cache.shape[2]
    # Query head j reads KV head j // group: consecutive query heads share one KV head, so
    # (h,) splits as (kv, group), not (group, kv).
    q_grouped = q[:, start:stop].reshape(b, n, kv_heads, h // kv_heads, d)
    scores = torch.einsum("bnkgd,bskd->bkgns", q_grouped * d**-0.5, k_cache)
    positions = torch.arange(start, stop, device=q.device)
    slots = torch.arange(k_cache.shape[1], device=q.device)
    allowed = slots[None, :] <= positions[:, None]  # (n, max_len): slot 0 is always allowed
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    return torch.einsum("bkgns,bskd->bnkgd", weights, v_cache).reshape(b, n, h, d)
