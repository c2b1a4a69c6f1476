import jax
import jax.numpy as jnp


@jax.jit
def tiled_attention(q, k, v):
    # Rescales the running normaliser when the maximum rises, but not the running numerator.
    block = 256
    q = q / jnp.sqrt(q.shape[-1]).astype(q.dtype)
    m = jnp.full(q.shape[:-1] + (1,), -jnp.inf, q.dtype)
    l = jnp.zeros_like(m)
    acc = jnp.zeros_like(q)
    for start in range(0, k.shape[-2], block):  # unrolled under jit; the last tile may be short
        s = q @ jnp.swapaxes(k[..., start : start + block, :], -1, -2)
        m_new = jnp.maximum(m, s.max(axis=-1, keepdims=True))
        p = jnp.exp(s - m_new)
        l = l * jnp.exp(m - m_new) + p.sum(axis=-1, keepdims=True)
        acc = acc + p @ v[..., start : start + block, :]
        m = m_new
    return acc / l
