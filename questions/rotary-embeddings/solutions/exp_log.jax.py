import jax.numpy as jnp


def rotate_half(x):
    half = x.shape[-1] // 2
    return jnp.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def apply_rope(x, positions, base):
    dim = x.shape[-1]
    inv_freq = jnp.exp(-jnp.log(base) * jnp.arange(0, dim, 2, dtype=jnp.float32) / dim)
    angles = positions[..., None].astype(jnp.float32) * inv_freq
    angles = jnp.concatenate([angles, angles], axis=-1)[:, :, None, :]  # (batch, seq, 1, dim)
    return x * jnp.cos(angles) + rotate_half(x) * jnp.sin(angles)
