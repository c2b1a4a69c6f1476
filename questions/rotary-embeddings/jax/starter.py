import jax
import jax.numpy as jnp


def apply_rope(x: jax.Array, positions: jax.Array, base: float) -> jax.Array:
    """Rotary position embedding of x (batch, seq, heads, head_dim) at int32 positions (batch, seq)."""
    raise NotImplementedError
