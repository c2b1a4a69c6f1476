from functools import partial

import jax
import jax.numpy as jnp
import optax

HIDDEN = 32
STEPS = 250
LR = 0.03


def _forward(params, x):
    for i, (w, b) in enumerate(params):
        x = x @ w + b
        if i < len(params) - 1:
            x = jax.nn.relu(x)
    return x


@partial(jax.jit, static_argnames="num_classes")
def train_and_predict(x_train, y_train, x_test, num_classes):
    # Standardise with the training set's statistics (and apply the same to the test points).
    mean, std = x_train.mean(axis=0), x_train.std(axis=0, ddof=1)
    xs, xt = (x_train - mean) / std, (x_test - mean) / std
    sizes = [2, HIDDEN, HIDDEN, num_classes]
    keys = jax.random.split(jax.random.key(0), len(sizes) - 1)  # fixed initialisation
    params = [
        (jax.random.normal(k, (m, n)) * jnp.sqrt(2.0 / m), jnp.zeros(n))  # He init
        for k, m, n in zip(keys, sizes[:-1], sizes[1:], strict=True)
    ]

    def loss(params):
        return optax.softmax_cross_entropy_with_integer_labels(_forward(params, xs), y_train).mean()

    opt = optax.adam(optax.cosine_decay_schedule(LR, STEPS))

    def step(carry, _):  # full-batch: the training set is small
        params, state = carry
        updates, state = opt.update(jax.grad(loss)(params), state)
        return (optax.apply_updates(params, updates), state), None

    (params, _), _ = jax.lax.scan(step, (params, opt.init(params)), length=STEPS)
    return jnp.argmax(_forward(params, xt), axis=1)
