from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=5)
def kv_cache_decode(
    q: jax.Array, k: jax.Array, v: jax.Array, k_cache: jax.Array, v_cache: jax.Array, prompt_len: int
) -> tuple[jax.Array, jax.Array, jax.Array]:
    # Prefill: the whole prompt in one call, causal within itself.
    k_cache = jax.lax.dynamic_update_slice_in_dim(k_cache, k[:, :prompt_len], 0, axis=1)
    v_cache = jax.lax.dynamic_update_slice_in_dim(v_cache, v[:, :prompt_len], 0, axis=1)
    out = jnp.zeros_like(q).at[:, :prompt_len].set(_attend(q[:, :prompt_len], k_cache, v_cache, 0))

    # Decode: one token per step. The position t is a traced value and every array keeps its
    # shape, so the step compiles once for all positions.
    def step(t, carry):
        out, k_cache, v_cache = carry
        k_cache = jax.lax.dynamic_update_slice_in_dim(k_cache, jax.lax.dynamic_slice_in_dim(k, t, 1, 1), t, 1)
        v_cache = jax.lax.dynamic_update_slice_in_dim(v_cache, jax.lax.dynamic_slice_in_dim(v, t, 1, 1), t, 1)
        q_t = jax.lax.dynamic_slice_in_dim(q, t, 1, axis=1)
        out = jax.lax.dynamic_update_slice_in_dim(out, _attend(q_t, k_cache, v_cache, t), t, axis=1)
        return out, k_cache, v_cache

    return jax.lax.fori_loop(prompt_len, q.shape[1], step, (out, k_cache, v_cache))


def _attend(q: jax.Array, k_cache: jax.Array, v_cache: jax.Array, start: jax.Array | int) -> jax.Array:
    """Attention from n queries at positions start, ..., start + n - 1 to every cache slot at or
    before each one's position, over the whole fixed-size cache; later slots are masked."""
    b, n, h, d = q.shape
    kv_heads, max_len = k_cache.shape[2], k_cache.shape[1]
    # Query head j reads KV head j // group: (h,) splits as (kv, group), not (group, kv).
    q_grouped = q.reshape(b, n, kv_heads, h // kv_heads, d)
    scores = jnp.einsum("bnkgd,bskd->bkgns", q_grouped * d**-0.5, k_cache)
    allowed = jnp.arange(max_len)[None, :] <= (start + jnp.arange(n))[:, None]  # slot 0 always
    weights = jax.nn.softmax(jnp.where(allowed, scores, -jnp.inf), axis=-1)
    return jnp.einsum("bkgns,bskd->bnkgd", weights, v_cache).reshape(b, n, h, d)
