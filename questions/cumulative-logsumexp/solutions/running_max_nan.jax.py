import jax
import jax.numpy as jnp


@jax.jit
def cumulative_logsumexp(x):
    # The textbook running-max update; with m = -inf and x = -inf it computes
    # exp(-inf - (-inf)) = exp(NaN).
    def step(carry, column):
        m = jnp.maximum(carry, column)
        total = m + jnp.log(jnp.exp(carry - m) + jnp.exp(column - m))
        return total, total

    start = jnp.full(x.shape[:1], -jnp.inf, x.dtype)
    _, ys = jax.lax.scan(step, start, x.T)
    return ys.T
