import jax
import jax.numpy as jnp


def loss_mean(params, x, y):
    logits = jnp.tanh(x @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"]
    logp = logits - jax.scipy.special.logsumexp(logits, axis=1, keepdims=True)
    return -jnp.mean(logp[jnp.arange(y.shape[0]), y])


grad_fn = jax.jit(jax.value_and_grad(loss_mean))


def accumulated_grad(params, micro_batches):
    total = sum(y.shape[0] for _, y in micro_batches)
    acc = jax.tree.map(jnp.zeros_like, params)
    for x, y in micro_batches:
        _, g = grad_fn(params, x, y)
        acc = jax.tree.map(lambda a, b: a + b * (y.shape[0] / total), acc, g)
    return acc
