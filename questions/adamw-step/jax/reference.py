import jax
import jax.numpy as jnp


@jax.jit
def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    def one_step(state, inputs):
        p, m, v = state
        g, t = inputs
        p = jax.tree.map(lambda p: p * (1 - lr * weight_decay), p)  # decoupled decay
        m = jax.tree.map(lambda m, g: beta1 * m + (1 - beta1) * g, m, g)
        v = jax.tree.map(lambda v, g: beta2 * v + (1 - beta2) * g * g, v, g)
        # Bias corrections use the 1-based count of steps taken; eps outside the square root.
        step_size = lr / (1 - beta1**t)
        root_bias2 = jnp.sqrt(1 - beta2**t)
        p = jax.tree.map(lambda p, m, v: p - step_size * m / (jnp.sqrt(v) / root_bias2 + eps), p, m, v)
        return (p, m, v), None

    steps = jax.tree.leaves(grads)[0].shape[0]
    counts = step + 1 + jnp.arange(steps, dtype=jnp.float32)
    (p, m, v), _ = jax.lax.scan(one_step, (params, exp_avg, exp_avg_sq), (grads, counts))
    return p, m, v
