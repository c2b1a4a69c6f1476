import jax
import jax.numpy as jnp


def lr_schedule(
    steps: jax.Array, base_lr: float, min_lr: float, warmup_steps: int, total_steps: int
) -> jax.Array:
    """Learning rate at each step: linear warm-up, then cosine decay to min_lr.

    steps: int32 array of shape (n,). Return a float32 array of shape (n,).
    """
    raise NotImplementedError
