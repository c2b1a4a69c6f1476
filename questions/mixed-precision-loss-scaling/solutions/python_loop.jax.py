import jax
import jax.numpy as jnp
import numpy as np


@jax.jit
def _unscaled_grads(master, x, y, scale):
    def scaled_loss(p16):
        pred = jnp.dot(x.astype(jnp.float16), p16["w"]) + p16["b"]
        return jnp.mean(jnp.square(pred.astype(jnp.float32) - y)) * scale

    g16 = jax.grad(scaled_loss)(jax.tree.map(lambda p: p.astype(jnp.float16), master))
    grads = jax.tree.map(lambda g: g.astype(jnp.float32) / scale, g16)
    ok = jnp.logical_and(jnp.isfinite(grads["w"]).all(), jnp.isfinite(grads["b"]).all())
    return grads, ok


@jax.jit
def _sgd(master, grads, lr):
    return jax.tree.map(lambda p, g: p - lr * g, master, grads)


def train_mixed_precision(params, xs, ys, lr, init_scale, growth_interval):
    master = dict(params)
    scale, streak = float(init_scale), 0
    scales, skipped = [scale], []
    for t in range(xs.shape[0]):
        grads, ok = _unscaled_grads(master, xs[t], ys[t], jnp.float32(scale))
        if bool(ok):
            master = _sgd(master, grads, lr)
            streak += 1
            if streak == growth_interval:
                scale, streak = scale * 2.0, 0
        else:
            scale, streak = scale * 0.5, 0
        scales.append(scale)
        skipped.append(not bool(ok))
    return master, jnp.asarray(np.array(scales, np.float32)), jnp.asarray(np.array(skipped, bool))
