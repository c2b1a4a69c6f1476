import jax
import jax.numpy as jnp


def kv_cache_decode(q, k, v, k_cache, v_cache, prompt_len):
    # Grows the cache by concatenation, as eager PyTorch code often does: the attention is
    # right, but every step has a new shape (one compile per step under jit) and the caches
    # come back (batch, seq, ...) instead of (batch, max_len, ...).
    group = q.shape[2] // k.shape[2]
    keys, values = k[:, :prompt_len], v[:, :prompt_len]
    outs = [_attend(q[:, :prompt_len], keys, values, group, 0)]
    for t in range(prompt_len, q.shape[1]):
        keys = jnp.concatenate([keys, k[:, t : t + 1]], axis=1)
        values = jnp.concatenate([values, v[:, t : t + 1]], axis=1)
        outs.append(_attend(q[:, t : t + 1], keys, values, group, t))
    return jnp.concatenate(outs, axis=1), keys, values


def _attend(q, keys, values, group, start):
    keys, values = jnp.repeat(keys, group, axis=2), jnp.repeat(values, group, axis=2)
    scores = jnp.einsum("bqhd,bshd->bhqs", q, keys) / jnp.sqrt(q.shape[-1])
    allowed = jnp.arange(keys.shape[1])[None, :] <= start + jnp.arange(q.shape[1])[:, None]
    return jnp.einsum("bhqs,bshd->bqhd", jax.nn.softmax(jnp.where(allowed, scores, -jnp.inf), axis=-1), values)
