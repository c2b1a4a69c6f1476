import jax
import jax.numpy as jnp


def batch_norm_train(
    x: jax.Array,
    weight: jax.Array,
    bias: jax.Array,
    running_mean: jax.Array,
    running_var: jax.Array,
    momentum: float,
    eps: float,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """One training-mode batch-norm step on x of shape (n, c) or (n, c, h, w).

    Returns (output, new_running_mean, new_running_var).
    """
    raise NotImplementedError
