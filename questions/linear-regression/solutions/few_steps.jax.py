import jax
import jax.numpy as jnp


@jax.jit
def train(x, y):
    # Standardised, but stops after 15 small steps: far from converged.
    n, d = x.shape
    mean_x, std_x = x.mean(axis=0), x.std(axis=0)
    xs = (x - mean_x) / std_x
    mean_y = y.mean()

    def loss(w):
        return jnp.mean((xs @ w - (y - mean_y)) ** 2)

    grad = jax.grad(loss)
    w = jax.lax.fori_loop(0, 15, lambda _, w: w - 0.05 * grad(w), jnp.zeros((d, 1)))
    w = w / std_x[:, None]
    return w, (mean_y - mean_x @ w).reshape(1)
