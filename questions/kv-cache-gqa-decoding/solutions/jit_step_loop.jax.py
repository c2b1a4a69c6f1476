import jax
import jax.numpy as jnp


def kv_cache_decode(q, k, v, k_cache, v_cache, prompt_len):
    # A jitted step for any number of new tokens, called once for the prompt and once per
    # decoded token from a Python loop. The position is a traced int32, so every decode step
    # reuses one compiled program.
    k_cache, v_cache, first = _step(q[:, :prompt_len], k[:, :prompt_len], v[:, :prompt_len], k_cache, v_cache,
                                    jnp.int32(0))
    out = [first]
    for t in range(prompt_len, q.shape[1]):
        k_cache, v_cache, o = _step(q[:, t : t + 1], k[:, t : t + 1], v[:, t : t + 1], k_cache, v_cache,
                                    jnp.int32(t))
        out.append(o)
    return jnp.concatenate(out, axis=1), k_cache, v_cache


@jax.jit
def _step(q, k, v, k_cache, v_cache, start):
    n, group, d = q.shape[1], q.shape[2] // k.shape[2], q.shape[3]
    k_cache = k_cache.at[:, start + jnp.arange(n)].set(k)
    v_cache = v_cache.at[:, start + jnp.arange(n)].set(v)
    keys, values = jnp.repeat(k_cache, group, axis=2), jnp.repeat(v_cache, group, axis=2)
    scores = jnp.einsum("bqhd,bshd->bhqs", q, keys) / jnp.sqrt(jnp.float32(d))
    allowed = jnp.arange(k_cache.shape[1])[None, :] <= (start + jnp.arange(n))[:, None]
    weights = jax.nn.softmax(scores, axis=-1, where=allowed)
    weights = jnp.where(allowed, weights, 0.0)
    return k_cache, v_cache, jnp.einsum("bhqs,bshd->bqhd", weights, values)
