import jax
import jax.numpy as jnp


@jax.jit
def apply_rope(x: jax.Array, positions: jax.Array, base: float) -> jax.Array:
    dim = x.shape[-1]
    half = dim // 2
    inv_freq = 1.0 / base ** (jnp.arange(half, dtype=jnp.float32) * 2.0 / dim)  # (half,)
    # One angle per (batch, position, frequency), shared by every head.
    angles = positions.astype(jnp.float32)[:, :, None, None] * inv_freq  # (batch, seq, 1, half)
    cos, sin = jnp.cos(angles), jnp.sin(angles)
    x1, x2 = x[..., :half], x[..., half:]
    # Rotate each pair (x[i], x[i + half]) by its angle: the "rotate_half" layout.
    return jnp.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)
