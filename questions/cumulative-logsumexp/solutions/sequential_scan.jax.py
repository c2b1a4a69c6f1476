import jax
import jax.numpy as jnp


@jax.jit
def cumulative_logsumexp(x):
    # One step per column: a carry of shape (rows,) updated with logaddexp.
    def step(carry, column):
        total = jnp.logaddexp(carry, column)
        return total, total

    start = jnp.full(x.shape[:1], -jnp.inf, x.dtype)
    _, ys = jax.lax.scan(step, start, x.T)
    return ys.T
