import jax
import jax.numpy as jnp


@jax.jit
def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    # Computes the schedule in bfloat16.
    bf = jnp.bfloat16
    t = steps.astype(bf)
    warm = t * jnp.asarray(base_lr / jnp.maximum(warmup_steps, 1), bf)
    p = jnp.clip(steps - warmup_steps, 0, total_steps - warmup_steps).astype(bf) / (total_steps - warmup_steps)
    cosine = min_lr + (base_lr - min_lr) * 0.5 * (1 + jnp.cos(jnp.pi * p))
    lr = jnp.where(steps < warmup_steps, warm, cosine.astype(bf))
    return jnp.where(steps >= total_steps, min_lr, lr).astype(jnp.float32)
