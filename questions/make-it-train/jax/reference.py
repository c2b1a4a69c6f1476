from functools import partial

import jax
import jax.numpy as jnp
import optax

HIDDEN = 64
STEPS = 1000
BATCH_SIZE = 64
LEARNING_RATE = 3e-3
WARMUP_STEPS = 300

# The warm-up lives in the optimizer's state (its step count is an array), not in a Python
# counter that a jitted function would read only once, while tracing.
optimizer = optax.adam(optax.linear_schedule(0.0, LEARNING_RATE, WARMUP_STEPS))


def _init_params(key, sizes):
    keys = jax.random.split(key, len(sizes) - 1)  # one key per layer: no two layers alike
    return [
        (jax.random.normal(k, (fan_in, fan_out)) * jnp.sqrt(2.0 / fan_in), jnp.zeros(fan_out))
        for k, fan_in, fan_out in zip(keys, sizes[:-1], sizes[1:], strict=True)
    ]


def _forward(params, x):
    for w, b in params[:-1]:
        x = jax.nn.relu(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def _loss(params, xb, yb):
    return optax.softmax_cross_entropy_with_integer_labels(_forward(params, xb), yb).mean()


@partial(jax.jit, static_argnames="num_classes")
def _train(key, x, y, num_classes):
    init_key, data_key = jax.random.split(key)
    params = _init_params(init_key, [x.shape[1], HIDDEN, HIDDEN, num_classes])

    def step(carry, step_key):  # a fresh key for every batch
        params, opt_state = carry
        batch = jax.random.randint(step_key, (BATCH_SIZE,), 0, x.shape[0])
        grads = jax.grad(_loss)(params, x[batch], y[batch])
        updates, opt_state = optimizer.update(grads, opt_state)
        return (optax.apply_updates(params, updates), opt_state), None

    (params, _), _ = jax.lax.scan(step, (params, optimizer.init(params)), jax.random.split(data_key, STEPS))
    return params


def train_and_predict(x_train: jax.Array, y_train: jax.Array, x_test: jax.Array, seed: int) -> jax.Array:
    # Standardise with the training set's statistics: the inputs come in raw units.
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    params = _train(jax.random.key(seed), (x_train - mean) / std, y_train, int(y_train.max()) + 1)
    return _forward(params, (x_test - mean) / std).argmax(axis=1)
