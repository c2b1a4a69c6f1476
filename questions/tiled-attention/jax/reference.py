import jax
import jax.numpy as jnp

BLOCK = 512  # keys per tile: one tile's scores for 12288 queries are 25 MB


@jax.jit
def tiled_attention(q: jax.Array, k: jax.Array, v: jax.Array) -> jax.Array:
    tk = k.shape[-2]
    tiles = -(-tk // BLOCK)
    # Static shapes: pad the keys to whole tiles; padded keys are masked out below.
    pad = [(0, 0)] * (k.ndim - 2) + [(0, tiles * BLOCK - tk), (0, 0)]
    k_tiles = jnp.moveaxis(jnp.pad(k, pad).reshape(*k.shape[:-2], tiles, BLOCK, k.shape[-1]), -3, 0)
    v_tiles = jnp.moveaxis(jnp.pad(v, pad).reshape(*v.shape[:-2], tiles, BLOCK, v.shape[-1]), -3, 0)
    q = q * q.shape[-1] ** -0.5

    # Per query: the running maximum m, the running normaliser norm = sum exp(s - m) and the
    # running numerator acc = sum exp(s - m) v, all relative to m.
    def tile(carry, inputs):
        m, norm, acc = carry
        index, k_tile, v_tile = inputs
        real = index * BLOCK + jnp.arange(BLOCK) < tk
        scores = jnp.where(real, q @ jnp.swapaxes(k_tile, -1, -2), -jnp.inf)
        m_new = jnp.maximum(m, scores.max(axis=-1, keepdims=True))  # finite: a tile has a real key
        # When the maximum rises, what was summed relative to the old one shrinks by
        # exp(m - m_new) (0 on the first tile, where m is -inf).
        correction = jnp.exp(m - m_new)
        p = jnp.exp(scores - m_new)
        return (m_new, norm * correction + p.sum(axis=-1, keepdims=True), acc * correction + p @ v_tile), None

    m = jnp.full((*q.shape[:-1], 1), -jnp.inf, dtype=q.dtype)
    init = (m, jnp.zeros_like(m), jnp.zeros_like(q))
    (_, norm, acc), _ = jax.lax.scan(tile, init, (jnp.arange(tiles), k_tiles, v_tiles))
    return acc / norm  # normalise once, at the end
