import jax
import jax.numpy as jnp


@jax.jit
def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # Keeps the moments in bfloat16 to halve optimizer memory: 3 significant digits.
    bf = lambda tree: jax.tree.map(lambda x: x.astype(jnp.bfloat16), tree)
    f32 = lambda tree: jax.tree.map(lambda x: x.astype(jnp.float32), tree)

    def body(state, xs):
        p, m, v = state
        g, t = xs
        p = jax.tree.map(lambda p: p * (1 - lr * weight_decay), p)
        m = bf(jax.tree.map(lambda m, g: beta1 * m + (1 - beta1) * g, f32(m), g))
        v = bf(jax.tree.map(lambda v, g: beta2 * v + (1 - beta2) * g * g, f32(v), g))
        p = jax.tree.map(
            lambda p, m, v: p - lr * (m / (1 - beta1**t)) / (jnp.sqrt(v / (1 - beta2**t)) + eps),
            p, f32(m), f32(v))
        return (p, m, v), None

    steps = jax.tree.leaves(grads)[0].shape[0]
    counts = step + 1 + jnp.arange(steps, dtype=jnp.float32)
    (p, m, v), _ = jax.lax.scan(body, (params, bf(exp_avg), bf(exp_avg_sq)), (grads, counts))
    return p, f32(m), f32(v)
