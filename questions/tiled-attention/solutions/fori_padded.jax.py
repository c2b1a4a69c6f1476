import jax
import jax.numpy as jnp


@jax.jit
def tiled_attention(q, k, v):
    # fori_loop over 256-key tiles of keys padded to a whole number of tiles; padded keys get a
    # score of -inf, so exp gives them no weight. The loop keeps one tile alive at a time.
    block = 256
    tk = k.shape[-2]
    tiles = -(-tk // block)
    widths = [(0, 0)] * (k.ndim - 2) + [(0, tiles * block - tk), (0, 0)]
    k, v = jnp.pad(k, widths), jnp.pad(v, widths)
    q = q * q.shape[-1] ** -0.5

    def body(i, carry):
        m, l, acc = carry
        start = i * block
        s = q @ jnp.swapaxes(jax.lax.dynamic_slice_in_dim(k, start, block, axis=-2), -1, -2)
        s = jnp.where(start + jnp.arange(block) < tk, s, -jnp.inf)
        m_new = jnp.maximum(m, s.max(axis=-1, keepdims=True))
        c = jnp.exp(m - m_new)
        p = jnp.exp(s - m_new)
        acc = acc * c + p @ jax.lax.dynamic_slice_in_dim(v, start, block, axis=-2)
        return m_new, l * c + p.sum(axis=-1, keepdims=True), acc

    m0 = jnp.full(q.shape[:-1] + (1,), -jnp.inf, q.dtype)
    _, l, acc = jax.lax.fori_loop(0, tiles, body, (m0, jnp.zeros_like(m0), jnp.zeros_like(q)))
    return acc / l
