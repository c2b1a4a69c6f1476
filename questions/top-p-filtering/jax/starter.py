import jax
import jax.numpy as jnp


def top_p_filter(logits: jax.Array, p: float) -> jax.Array:
    """Nucleus filtering of float32 logits (batch, vocab): removed tokens become -inf."""
    raise NotImplementedError
