import jax
import jax.numpy as jnp


@jax.jit
def train_mixed_precision(params, xs, ys, lr, init_scale, growth_interval):
    # Keeps only float16 weights and updates them: small updates round away, and the float32
    # weights returned at the end are float16 values.
    def loss(h, x, y):
        return jnp.mean((((x.astype(jnp.float16) @ h["w"]) + h["b"]).astype(jnp.float32) - y) ** 2)

    def step(state, batch):
        half, scale, good = state
        g = jax.grad(lambda h: loss(h, *batch) * scale)(half)
        g = {k: v.astype(jnp.float32) / scale for k, v in g.items()}
        ok = jnp.isfinite(g["w"]).all() & jnp.isfinite(g["b"]).all()
        half = {k: jnp.where(ok, (half[k] - lr * g[k]).astype(jnp.float16), half[k]) for k in half}
        good = jnp.where(ok, good + 1, 0)
        scale = jnp.where(ok, jnp.where(good == growth_interval, scale * 2, scale), scale / 2)
        good = good % growth_interval
        return (half, scale, good), (scale, ~ok)

    half = {k: v.astype(jnp.float16) for k, v in params.items()}
    (half, _, _), (scales, skipped) = jax.lax.scan(step, (half, jnp.float32(init_scale), 0), (xs, ys))
    master = {k: v.astype(jnp.float32) for k, v in half.items()}
    return master, jnp.r_[jnp.float32(init_scale), scales], skipped
