import itertools

import jax
import jax.numpy as jnp
import optax
from jaxopt.loss import multiclass_logistic_loss

# This program should train a classifier and predict labels for x_test, but it does not train.
# Find what is wrong and fix it; keep the signature of train_and_predict.

HIDDEN = 64
STEPS = 1000
BATCH_SIZE = 64
LEARNING_RATE = 3e-3
WARMUP_STEPS = 300

progress = {"step": 0}


def init_params(key, sizes):
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        w = jax.random.normal(key, (fan_in, fan_out)) * jnp.sqrt(2.0 / fan_in)
        params.append((w, jnp.zeros(fan_out)))
    return params


def forward(params, x):
    for w, b in params[:-1]:
        x = jax.nn.relu(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def loss_fn(params, xb, yb):
    logits = forward(params, xb)
    return jax.vmap(multiclass_logistic_loss)(yb, logits).mean()


optimizer = optax.scale_by_adam()


@jax.jit
def train_step(params, opt_state, x, y, key):
    # Linear warm-up of the learning rate over the first WARMUP_STEPS steps.
    progress["step"] += 1
    lr = LEARNING_RATE * min(1.0, progress["step"] / WARMUP_STEPS)
    batch = jax.random.randint(key, (BATCH_SIZE,), 0, x.shape[0])
    grads = jax.grad(loss_fn)(params, x[batch], y[batch])
    direction, opt_state = optimizer.update(grads, opt_state)
    params = jax.tree.map(lambda p, d: p - lr * d, params, direction)
    return params, opt_state


def train_and_predict(x_train: jax.Array, y_train: jax.Array, x_test: jax.Array, seed: int) -> jax.Array:
    key = seed
    init_key, data_key = jax.random.split(key)
    # The inputs come in raw units: standardise with the training set's statistics.
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    num_classes = int(y_train.max()) + 1
    params = init_params(init_key, [x_train.shape[1], HIDDEN, HIDDEN, num_classes])
    opt_state = optimizer.init(params)
    for step in range(STEPS):
        params, opt_state = train_step(params, opt_state, x_train, y_train, data_key)
        if step % 200 == 0:
            print(f"step {step}: loss {loss_fn(params, x_train, y_train):.4f}")
    return forward(params, x_test).argmax(axis=1)
