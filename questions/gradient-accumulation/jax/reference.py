import jax
import jax.numpy as jnp


def _loss_sum(params, x, y):
    hidden = jnp.tanh(x @ params["w1"] + params["b1"])
    logits = hidden @ params["w2"] + params["b2"]
    log_probs = jax.nn.log_softmax(logits)  # stable for large logits
    return -jnp.take_along_axis(log_probs, y[:, None], axis=1).sum()


_grad_sum = jax.jit(jax.grad(_loss_sum))  # compiles once per micro-batch shape


def accumulated_grad(params, micro_batches):
    total = sum(y.shape[0] for _, y in micro_batches)
    acc = None
    for x, y in micro_batches:
        # Gradient of the *sum* of this micro-batch's losses; divide by the whole batch size at
        # the end, so every example weighs 1 / total however the batch was split.
        g = _grad_sum(params, x, y)
        acc = g if acc is None else jax.tree.map(jnp.add, acc, g)
    return jax.tree.map(lambda a: a / total, acc)
