import jax
import jax.numpy as jnp


@jax.jit
def log_softmax(x: jax.Array) -> jax.Array:
    # log_softmax(x) = (x - m) - log(sum(exp(x - m))) for any m; taking m = row max keeps every
    # exponent <= 0 (no overflow) and makes the largest term exactly 1 (no log(0)).
    m = jnp.max(x, axis=-1, keepdims=True)
    # A fully masked row has m = -inf and x - m = NaN; shift it by 0 instead.
    m = jnp.where(jnp.isneginf(m), 0.0, m)
    shifted = x - m
    total = jnp.sum(jnp.exp(shifted), axis=-1, keepdims=True)
    # total >= 1 whenever the row has a finite entry (its maximum contributes exp(0) = 1), and
    # is 0 for a fully masked row: clamping to 1 leaves real rows alone and gives
    # -inf - log(1) = -inf for masked ones.
    return shifted - jnp.log(jnp.maximum(total, 1.0))
