import jax
import jax.numpy as jnp


def loss_sum(params, x, y):
    p = jax.tree.map(lambda a: a.astype(jnp.bfloat16), params)
    logits = jnp.tanh(x.astype(jnp.bfloat16) @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]
    return -jnp.sum(jax.nn.log_softmax(logits.astype(jnp.float32))[jnp.arange(y.shape[0]), y])


grad_sum = jax.jit(jax.grad(loss_sum))


def accumulated_grad(params, micro_batches):
    # Forward and backward in bfloat16 "for speed".
    total = sum(y.shape[0] for _, y in micro_batches)
    acc = jax.tree.map(jnp.zeros_like, params)
    for x, y in micro_batches:
        acc = jax.tree.map(jnp.add, acc, grad_sum(params, x, y))
    return jax.tree.map(lambda a: a / total, acc)
