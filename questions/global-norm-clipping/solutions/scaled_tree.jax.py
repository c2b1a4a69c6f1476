import jax
import jax.numpy as jnp


@jax.jit
def clip_by_global_norm(grads, max_norm):
    leaves = jax.tree_util.tree_leaves(grads)
    # initial=0 makes the max of a zero-size leaf defined.
    m = jnp.max(jnp.stack([jnp.max(jnp.abs(g), initial=0.0) for g in leaves]))
    safe = jnp.where(m > 0, m, 1.0)
    norm = safe * jnp.sqrt(sum(jnp.vdot(g / safe, g / safe) for g in leaves))
    scale = jnp.where(norm > max_norm, max_norm / jnp.where(norm > 0, norm, 1.0), 1.0)
    return jax.tree_util.tree_map(lambda g: g * scale, grads), norm
