import jax
import jax.numpy as jnp


@jax.jit
def pairwise_sq_distances(x: jax.Array, y: jax.Array) -> jax.Array:
    # |x - y|^2 = |x|^2 + |y|^2 - 2 x.y needs only the (n, m) result, never (n, m, d). Its terms
    # are as large as |x|^2, so shift both sets by a common point first (distances do not
    # change): for a cloud far from the origin the terms shrink to its spread.
    centre = jnp.concatenate([x, y]).mean(axis=0)
    a, b = x - centre, y - centre
    sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    return jnp.maximum(sq, 0.0)  # rounding can leave tiny negatives for (near-)equal points
