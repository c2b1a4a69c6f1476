import jax
import jax.numpy as jnp


def layer_norm_backward(
    x: jax.Array, gamma: jax.Array, dy: jax.Array, eps: float
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Gradients (dx, dgamma, dbeta) of y = layer_norm(x) * gamma + beta over the last axis,
    given the upstream gradient dy = dL/dy. x, dy: float32 (n, d); gamma: float32 (d,)."""
    raise NotImplementedError
