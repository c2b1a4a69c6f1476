import jax
import jax.numpy as jnp


def packed_causal_attention(q: jax.Array, k: jax.Array, v: jax.Array, segment_ids: jax.Array) -> jax.Array:
    """Causal attention within packed sequences.

    q, k, v: float32 (batch, seq, heads, dim). segment_ids: int32 (batch, seq), contiguous runs
    of 1, 2, 3, ... (one per packed sequence) and then 0 for padding. A token attends to the
    tokens of its own sequence at or before it; a padding token's output is zeros.
    """
    raise NotImplementedError
