import jax
import jax.numpy as jnp


@jax.jit
def apply_rope(x, positions, base):
    # float32 angles, but the rotation itself in bfloat16.
    dim, half = x.shape[-1], x.shape[-1] // 2
    inv_freq = 1.0 / base ** (jnp.arange(half, dtype=jnp.float32) * 2.0 / dim)
    angles = positions.astype(jnp.float32)[:, :, None, None] * inv_freq
    cos, sin = jnp.cos(angles).astype(jnp.bfloat16), jnp.sin(angles).astype(jnp.bfloat16)
    x1, x2 = x[..., :half].astype(jnp.bfloat16), x[..., half:].astype(jnp.bfloat16)
    out = jnp.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)
    return out.astype(jnp.float32)
