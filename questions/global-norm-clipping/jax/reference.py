import jax
import jax.numpy as jnp


@jax.jit
def clip_by_global_norm(grads: dict[str, jax.Array], max_norm: float) -> tuple[dict[str, jax.Array], jax.Array]:
    leaves = [g for g in jax.tree_util.tree_leaves(grads) if g.size > 0]
    if not leaves:
        return grads, jnp.zeros((), jnp.float32)
    # Squares of values above ~1.8e19 overflow float32 and squares below ~1e-23 underflow,
    # so sum the squares of g / m, with m the largest magnitude in the whole tree (as BLAS
    # nrm2 does): every term is then in [0, 1].
    m = jnp.max(jnp.stack([jnp.max(jnp.abs(g)) for g in leaves]))
    safe_m = jnp.where(m > 0, m, 1.0)
    sum_sq = sum(jnp.sum(jnp.square(g / safe_m)) for g in leaves)
    norm = safe_m * jnp.sqrt(sum_sq)
    # min(1, max_norm / norm), and exactly 1 for an all-zero tree (norm 0).
    scale = max_norm / jnp.maximum(norm, max_norm)
    return jax.tree_util.tree_map(lambda g: g * scale, grads), norm
