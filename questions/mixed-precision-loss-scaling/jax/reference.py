import jax
import jax.numpy as jnp


def _loss(half_params: dict[str, jax.Array], x: jax.Array, y: jax.Array) -> jax.Array:
    pred = x.astype(jnp.float16) @ half_params["w"] + half_params["b"]
    return jnp.mean((pred.astype(jnp.float32) - y) ** 2)  # the loss itself in float32


@jax.jit
def train_mixed_precision(
    params: dict[str, jax.Array],
    xs: jax.Array,
    ys: jax.Array,
    lr: float,
    init_scale: float,
    growth_interval: int,
) -> tuple[dict[str, jax.Array], jax.Array, jax.Array]:
    def step(carry, batch):
        master, scale, good_steps = carry
        x, y = batch
        # float16 copies of the float32 masters, made fresh for this step.
        half = jax.tree.map(lambda p: p.astype(jnp.float16), master)
        scaled_grads = jax.grad(lambda h: _loss(h, x, y) * scale)(half)
        grads = jax.tree.map(lambda g: g.astype(jnp.float32) / scale, scaled_grads)
        finite = jnp.all(jnp.array([jnp.isfinite(g).all() for g in jax.tree.leaves(grads)]))
        stepped = jax.tree.map(lambda p, g: p - lr * g, master, grads)
        # A skipped step keeps the old masters (where selects; no NaN reaches them).
        master = jax.tree.map(lambda new, old: jnp.where(finite, new, old), stepped, master)
        good_steps = jnp.where(finite, good_steps + 1, 0)
        grow = good_steps == growth_interval
        scale = jnp.where(finite, jnp.where(grow, scale * 2.0, scale), scale * 0.5)
        good_steps = jnp.where(grow, 0, good_steps)
        return (master, scale, good_steps), (scale, ~finite)

    init = (params, jnp.float32(init_scale), jnp.int32(0))
    (master, _, _), (scales, skipped) = jax.lax.scan(step, init, (xs, ys))
    return master, jnp.concatenate([jnp.float32(init_scale)[None], scales]), skipped
