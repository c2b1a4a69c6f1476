import jax
import jax.numpy as jnp


@jax.jit
def cross_entropy(
    logits: jax.Array, targets: jax.Array, label_smoothing: float, ignore_index: int
) -> jax.Array:
    valid = targets != ignore_index
    # Ignored rows may hold NaN or inf: replace them before any arithmetic, since a later
    # "multiply by 0" would turn inf into NaN.
    logits = jnp.where(valid[:, None], logits, 0.0)
    # Log-probabilities via a max-shifted logsumexp: exp never overflows, log never sees 0.
    shifted = logits - jnp.max(logits, axis=1, keepdims=True)
    lse = jnp.log(jnp.sum(jnp.exp(shifted), axis=1))
    safe_targets = jnp.where(valid, targets, 0)  # ignore_index may be out of range
    target_logit = jnp.take_along_axis(shifted, safe_targets[:, None], axis=1)[:, 0]
    nll = lse - target_logit
    # Smoothing mixes in the uniform distribution: -mean_c log p_c = lse - mean_c(shifted).
    uniform = lse - jnp.mean(shifted, axis=1)
    per_row = (1.0 - label_smoothing) * nll + label_smoothing * uniform
    total = jnp.sum(jnp.where(valid, per_row, 0.0))
    return total / jnp.maximum(jnp.sum(valid), 1)  # no valid rows: 0 / 1 = 0
