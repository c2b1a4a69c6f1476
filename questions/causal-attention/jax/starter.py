import jax
import jax.numpy as jnp


def causal_attention(
    q: jax.Array, k: jax.Array, v: jax.Array, key_padding_mask: jax.Array | None
) -> jax.Array:
    """Causal scaled dot-product attention.

    q, k, v: float32 (batch, heads, seq, dim). key_padding_mask: bool (batch, seq), True for
    real tokens, or None. A query with no key to attend to gets an output of zeros.
    """
    raise NotImplementedError
