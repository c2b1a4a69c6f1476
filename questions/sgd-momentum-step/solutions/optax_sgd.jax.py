import jax
import optax


def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    # optax.sgd with its momentum trace loaded from the arguments; L2 added to the gradient.
    tx = optax.sgd(lr, momentum=momentum, nesterov=nesterov)
    state = tx.init(params)
    state = (state[0]._replace(trace=dict(momentum_buffer)), *state[1:])
    update = jax.jit(tx.update)
    for i in range(next(iter(grads.values())).shape[0]):
        g = {n: grads[n][i] + weight_decay * p for n, p in params.items()}
        updates, state = update(g, state)
        params = optax.apply_updates(params, updates)
    return params, dict(state[0].trace)
