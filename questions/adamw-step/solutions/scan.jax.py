import jax
import jax.numpy as jnp


def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # Constants computed in Python (double precision), the loop over steps in jitted code.
    steps = jax.tree.leaves(grads)[0].shape[0]
    t = step + 1 + jnp.arange(steps)
    bias1 = jnp.asarray([1 - beta1 ** int(k) for k in range(step + 1, step + steps + 1)])
    bias2 = jnp.asarray([1 - beta2 ** int(k) for k in range(step + 1, step + steps + 1)])
    return _run(params, grads, exp_avg, exp_avg_sq, bias1, bias2, lr, 1 - beta1, 1 - beta2, eps,
                1 - lr * weight_decay)


@jax.jit
def _run(params, grads, m, v, bias1, bias2, lr, one_minus_b1, one_minus_b2, eps, decay):
    def body(state, xs):
        p, m, v = state
        g, b1, b2 = xs
        p = jax.tree.map(lambda p: p * decay, p)
        m = jax.tree.map(lambda m, g: m + one_minus_b1 * (g - m), m, g)
        v = jax.tree.map(lambda v, g: (1 - one_minus_b2) * v + one_minus_b2 * g * g, v, g)
        p = jax.tree.map(lambda p, m, v: p - lr * (m / b1) / (jnp.sqrt(v / b2) + eps), p, m, v)
        return (p, m, v), None

    (p, m, v), _ = jax.lax.scan(body, (params, m, v), (grads, bias1, bias2))
    return p, m, v
