import jax.numpy as jnp


def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    # No jit; the branches are selected with jnp.select.
    t = steps.astype(jnp.float32)
    p = jnp.clip((t - warmup_steps) / (total_steps - warmup_steps), 0.0, 1.0)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + jnp.cos(jnp.pi * p))
    warm = base_lr * t / max(warmup_steps, 1)
    return jnp.select([steps < warmup_steps, steps < total_steps], [warm, cosine],
                      jnp.float32(min_lr)).astype(jnp.float32)
