import jax
import jax.numpy as jnp
import optax

tx = optax.adamw(optax.warmup_cosine_decay_schedule(0.0, 5e-3, 200, 1500), weight_decay=1e-4)


def mlp(params, x):
    h = jax.nn.gelu(x @ params["w1"] + params["b1"])
    h = jax.nn.gelu(h @ params["w2"] + params["b2"])
    return h @ params["w3"] + params["b3"]


@jax.jit
def update(params, state, x, y, base_key, step):
    # The step number arrives as an argument and picks this step's key: nothing Python-side
    # changes under jit, and no two steps share a key.
    idx = jax.random.choice(jax.random.fold_in(base_key, step), x.shape[0], (128,), replace=False)
    grads = jax.grad(lambda p: optax.softmax_cross_entropy_with_integer_labels(mlp(p, x[idx]), y[idx]).mean())(params)
    updates, state = tx.update(grads, state, params)
    return optax.apply_updates(params, updates), state


def train_and_predict(x_train, y_train, x_test, seed):
    mu, sigma = x_train.mean(0), x_train.std(0)
    x_train, x_test = (x_train - mu) / sigma, (x_test - mu) / sigma
    k1, k2, k3, loop_key = jax.random.split(jax.random.key(seed), 4)
    d, c = x_train.shape[1], int(y_train.max()) + 1
    params = {
        "w1": jax.random.normal(k1, (d, 128)) / jnp.sqrt(d), "b1": jnp.zeros(128),
        "w2": jax.random.normal(k2, (128, 128)) / jnp.sqrt(128.0), "b2": jnp.zeros(128),
        "w3": jax.random.normal(k3, (128, c)) / jnp.sqrt(128.0), "b3": jnp.zeros(c),
    }
    state = tx.init(params)
    for step in range(1500):
        params, state = update(params, state, x_train, y_train, loop_key, step)
    return jnp.argmax(mlp(params, x_test), axis=-1)
