import jax
import jax.numpy as jnp


@jax.jit
def apply_rope(x, positions, base):
    # base**(-i/d) instead of base**(-2i/d): the frequencies decay half as fast.
    dim, half = x.shape[-1], x.shape[-1] // 2
    inv_freq = 1.0 / base ** (jnp.arange(half, dtype=jnp.float32) / dim)
    angles = positions.astype(jnp.float32)[:, :, None, None] * inv_freq
    x1, x2 = x[..., :half], x[..., half:]
    return jnp.concatenate([x1 * jnp.cos(angles) - x2 * jnp.sin(angles),
                            x2 * jnp.cos(angles) + x1 * jnp.sin(angles)], axis=-1)
