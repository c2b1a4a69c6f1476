import jax
import jax.numpy as jnp
import optax


def train_and_predict(x_train, y_train, x_test, num_classes):
    # Right model, standardised inputs, but only 15 optimizer steps.
    mean, std = x_train.mean(0), x_train.std(0)
    xs, xt = (x_train - mean) / std, (x_test - mean) / std
    keys = jax.random.split(jax.random.key(0), 3)
    sizes = [2, 32, 32, num_classes]
    params = [(jax.random.normal(k, (m, n)) * jnp.sqrt(2.0 / m), jnp.zeros(n))
              for k, m, n in zip(keys, sizes[:-1], sizes[1:])]

    def forward(params, x):
        for i, (w, b) in enumerate(params):
            x = x @ w + b
            if i < len(params) - 1:
                x = jax.nn.relu(x)
        return x

    def loss(params):
        return optax.softmax_cross_entropy_with_integer_labels(forward(params, xs), y_train).mean()

    opt = optax.adam(0.01)
    state = opt.init(params)
    for _ in range(15):
        updates, state = opt.update(jax.grad(loss)(params), state)
        params = optax.apply_updates(params, updates)
    return jnp.argmax(forward(params, xt), axis=1)
