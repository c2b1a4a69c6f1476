import jax
import jax.numpy as jnp


def train(x: jax.Array, y: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Fit P(y = 1 | x) = sigmoid(x @ w + b) by gradient-based training.

    x: float32 (n, d); y: float32 (n,) of 0.0 / 1.0 labels.
    Return (w, b): float32 of shapes (d, 1) and (1,).
    """
    raise NotImplementedError
