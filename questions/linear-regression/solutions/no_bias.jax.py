import jax
import jax.numpy as jnp


@jax.jit
def train(x, y):
    # Standardises x but fits no intercept: y is modelled as x @ w only.
    n, d = x.shape
    mean_x, std_x = x.mean(axis=0), x.std(axis=0)
    xs = (x - mean_x) / std_x

    def loss(w):
        return jnp.mean((xs @ w - y) ** 2)

    grad = jax.grad(loss)
    w = jax.lax.fori_loop(0, 500, lambda _, w: w - 0.1 * grad(w), jnp.zeros((d, 1)))
    w = w / std_x[:, None]
    return w, jnp.zeros((1,), jnp.float32)
