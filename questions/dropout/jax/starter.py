import jax
import jax.numpy as jnp


def dropout(x: jax.Array, p: float, rng: dict) -> jax.Array:
    """Inverted dropout: zero each entry with probability p, scale the rest by 1 / (1 - p).

    rng["key_data"] (uint32, shape (2,)) is raw key data: jax.random.wrap_key_data(...) makes
    the key. rng["seed"] is for the PyTorch version; ignore it.
    """
    raise NotImplementedError
