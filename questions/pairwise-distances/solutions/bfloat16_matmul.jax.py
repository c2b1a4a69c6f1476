import jax
import jax.numpy as jnp


@jax.jit
def pairwise_sq_distances(x, y):
    c = jnp.concatenate([x, y]).mean(0)
    a, b = x - c, y - c
    cross = (a.astype(jnp.bfloat16) @ b.T.astype(jnp.bfloat16)).astype(jnp.float32)
    return jnp.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * cross, 0.0)
