import jax
import jax.numpy as jnp


def cumulative_logsumexp(x: jax.Array) -> jax.Array:
    """y[:, t] = log(sum(exp(x[:, :t+1]))) for a float32 array of shape (rows, cols)."""
    raise NotImplementedError
