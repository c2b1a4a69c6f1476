import jax
import jax.numpy as jnp


@jax.jit
def cross_entropy(logits, targets, label_smoothing, ignore_index):
    valid = targets != ignore_index
    x = jnp.where(valid[:, None], logits, 0.0)
    m = jax.lax.stop_gradient(x.max(axis=1, keepdims=True))
    logp = x - m - jnp.log(jnp.exp(x - m).sum(axis=1, keepdims=True))
    c = x.shape[1]
    soft = jax.nn.one_hot(jnp.where(valid, targets, 0), c) * (1 - label_smoothing) + label_smoothing / c
    loss = -(soft * logp).sum(axis=1)
    return jnp.where(valid, loss, 0.0).sum() / jnp.maximum(valid.sum(), 1)
