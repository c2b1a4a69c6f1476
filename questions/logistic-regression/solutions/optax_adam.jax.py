import jax
import jax.numpy as jnp
import optax


@jax.jit
def train(x, y):
    # Standardise, then Adam with a cosine-decayed learning rate on log-sigmoid losses.
    n, d = x.shape
    mean_x, std_x = x.mean(axis=0), x.std(axis=0)
    xs = (x - mean_x) / std_x

    def loss(params):
        z = xs @ params["w"][:, 0] + params["b"][0]
        return -jnp.mean(y * jax.nn.log_sigmoid(z) + (1 - y) * jax.nn.log_sigmoid(-z))

    opt = optax.adam(optax.cosine_decay_schedule(0.1, 1500))
    params = {"w": jnp.zeros((d, 1)), "b": jnp.zeros((1,))}

    def step(carry, _):
        params, state = carry
        updates, state = opt.update(jax.grad(loss)(params), state)
        return (optax.apply_updates(params, updates), state), None

    (params, _), _ = jax.lax.scan(step, (params, opt.init(params)), length=1500)
    w = params["w"] / std_x[:, None]
    return w, params["b"] - mean_x @ w
