import jax
import jax.numpy as jnp


@jax.jit
def lr_schedule(steps, base_lr, min_lr, warmup_steps, total_steps):
    t = steps.astype(jnp.float32)
    # max(..., 1): with no warm-up this branch is never selected, but must not divide by zero.
    warm = t * (base_lr / jnp.maximum(warmup_steps, 1))
    # The step difference is exact in int32 (steps >= 0); clamping keeps progress in [0, 1].
    done = jnp.clip(steps - warmup_steps, 0, total_steps - warmup_steps).astype(jnp.float32)
    progress = done / (total_steps - warmup_steps)
    cosine = min_lr + (base_lr - min_lr) * 0.5 * (1.0 + jnp.cos(jnp.pi * progress))
    lr = jnp.where(steps < warmup_steps, warm, cosine)
    return jnp.where(steps >= total_steps, min_lr, lr).astype(jnp.float32)
