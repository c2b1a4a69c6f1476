import jax
import jax.numpy as jnp


def kv_cache_decode(
    q: jax.Array, k: jax.Array, v: jax.Array, k_cache: jax.Array, v_cache: jax.Array, prompt_len: int
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Grouped-query attention through a preallocated KV cache: prefill, then decode.

    q: float32 (batch, seq, heads, dim); k, v: float32 (batch, seq, kv_heads, dim); k_cache,
    v_cache: float32 (batch, max_len, kv_heads, dim), preallocated and holding stale values;
    1 <= prompt_len <= seq <= max_len. Write the prompt's keys and values into slots
    [0, prompt_len) and attend causally from the prompt's queries (prefill); then for each later
    position t, write token t's key and value into slot t and attend from its query to slots
    0..t (decode). Query head j reads KV head j // (heads // kv_heads). Returns (out, k_cache,
    v_cache): out float32 (batch, seq, heads, dim); the caches keep shape (batch, max_len,
    kv_heads, dim), slots >= seq unchanged. Every step should keep the cache's shape, so that
    a jitted step compiles once for all positions.
    """
    raise NotImplementedError
