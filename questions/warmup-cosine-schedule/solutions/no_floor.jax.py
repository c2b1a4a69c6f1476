import jax
import jax.numpy as jnp


@jax.jit
def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    # Forgets to hold min_lr after total_steps: the cosine comes back up.
    t = steps.astype(jnp.float32)
    warm = base_lr * t / jnp.maximum(warmup_steps, 1)
    p = (t - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + jnp.cos(jnp.pi * p))
    return jnp.where(steps < warmup_steps, warm, cosine)
