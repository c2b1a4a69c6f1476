import jax
import jax.numpy as jnp


def embedding_bag(weight: jax.Array, indices: jax.Array, offsets: jax.Array, mode: str) -> jax.Array:
    """Sum or mean of weight[indices[offsets[b]:offsets[b+1]]] for every bag b; shape (bags, dim)."""
    raise NotImplementedError
