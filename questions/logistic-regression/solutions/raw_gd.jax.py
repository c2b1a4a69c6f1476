import jax
import jax.numpy as jnp


@jax.jit
def train(x, y):
    # Plain gradient descent on the raw (unstandardised) features with one learning rate.
    n, d = x.shape

    def loss(params):
        w, b = params
        z = x @ w[:, 0] + b[0]
        return -jnp.mean(y * jax.nn.log_sigmoid(z) + (1 - y) * jax.nn.log_sigmoid(-z))

    grad = jax.grad(loss)

    def step(_, params):
        return jax.tree.map(lambda p, g: p - 0.05 * g, params, grad(params))

    return jax.lax.fori_loop(0, 2000, step, (jnp.zeros((d, 1)), jnp.zeros((1,))))
