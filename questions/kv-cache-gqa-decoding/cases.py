"""Inputs for grouped-query attention decoding with a static KV cache: q float32 (b, t, h, d);
k, v float32 (b, t, kv, d); k_cache, v_cache float32 (b, m, kv, d) holding stale values from an
earlier request; prompt_len a Python int, 1 <= prompt_len <= t <= m. Outputs (out, k_cache,
v_cache): float32 (b, t, h, d), (b, m, kv, d), (b, m, kv, d)."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    if family != "random":
        raise ValueError(f"unknown family {family}")
    b, t, p, m, h, kv, d = (int(size[n]) for n in ("b", "t", "p", "m", "h", "kv", "d"))
    scale = np.float32(size.get("scale", 1.0))
    # float32 from the start: the speed benchmark draws fresh inputs for every call.
    q = rng.standard_normal((b, t, h, d), dtype=np.float32) * scale
    k = rng.standard_normal((b, t, kv, d), dtype=np.float32) * scale
    v = rng.standard_normal((b, t, kv, d), dtype=np.float32)
    # A reused cache is not zeroed between requests: unwritten slots hold an earlier request's
    # keys (4x larger, so an unmasked slot takes most of the attention weight) and values
    # (about 10, far from this request's), and a read of one shows in every output it reaches.
    k_cache = rng.standard_normal((b, m, kv, d), dtype=np.float32) * np.float32(4.0)
    v_cache = np.float32(10.0) + rng.standard_normal((b, m, kv, d), dtype=np.float32)
    return Case(args=(q, k, v, k_cache, v_cache, p))


def gold(q, k, v, k_cache, v_cache, prompt_len):
    """The exact answer in float64 (scripts/calibrate_tolerances.py): full causal attention over
    the whole sequence, query head j reading KV head j // (h // kv); the caches hold the
    sequence's keys and values in slots [0, t) and their stale values after."""
    t, h, d = q.shape[1], q.shape[2], q.shape[3]
    group = h // k.shape[2]
    q64, k64, v64 = (a.astype(np.float64) for a in (q, k, v))
    k64, v64 = np.repeat(k64, group, axis=2), np.repeat(v64, group, axis=2)
    scores = np.einsum("bqhd,bshd->bhqs", q64, k64) / np.sqrt(d)
    scores = np.where(np.tril(np.ones((t, t), dtype=bool)), scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    out = np.einsum("bhqs,bshd->bqhd", weights, v64)
    k_after, v_after = k_cache.copy(), v_cache.copy()
    k_after[:, :t], v_after[:, :t] = k, v
    return out, k_after, v_after
