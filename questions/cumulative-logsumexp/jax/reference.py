import jax
import jax.numpy as jnp


@jax.jit
def cumulative_logsumexp(x: jax.Array) -> jax.Array:
    # A parallel prefix scan with logaddexp, which is associative and stable for any pair
    # (including -inf with -inf, which gives -inf).
    return jax.lax.associative_scan(jnp.logaddexp, x, axis=-1)
