import jax
import jax.numpy as jnp
import optax


def train_and_predict(x_train, y_train, x_test, num_classes):
    # A GELU MLP trained full-batch with optax.adamw; the step is jitted, the loop is Python.
    mean, std = x_train.mean(0), x_train.std(0)
    xs, xt = (x_train - mean) / std, (x_test - mean) / std
    k1, k2, k3 = jax.random.split(jax.random.key(42), 3)
    params = {
        "w1": jax.random.normal(k1, (2, 64)), "b1": jnp.zeros(64),
        "w2": jax.random.normal(k2, (64, 64)) / 8.0, "b2": jnp.zeros(64),
        "w3": jax.random.normal(k3, (64, num_classes)) / 8.0, "b3": jnp.zeros(num_classes),
    }

    def logits(p, x):
        h = jax.nn.gelu(x @ p["w1"] + p["b1"])
        h = jax.nn.gelu(h @ p["w2"] + p["b2"])
        return h @ p["w3"] + p["b3"]

    def loss(p):
        return optax.softmax_cross_entropy_with_integer_labels(logits(p, xs), y_train).mean()

    opt = optax.adamw(1e-2, weight_decay=1e-4)
    state = opt.init(params)

    @jax.jit
    def step(p, s):
        updates, s = opt.update(jax.grad(loss)(p), s, p)
        return optax.apply_updates(p, updates), s

    for _ in range(400):
        params, state = step(params, state)
    return jnp.argmax(logits(params, xt), axis=1)
