from functools import partial

import jax


@partial(jax.jit, static_argnames="nesterov")
def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    def step(state, g):
        p, buf = state
        g = jax.tree.map(lambda g, p: g + weight_decay * p, g, p)  # L2 penalty: part of the gradient
        buf = jax.tree.map(lambda b, g: momentum * b + g, buf, g)
        # Nesterov looks ahead along the *updated* buffer.
        update = jax.tree.map(lambda g, b: g + momentum * b, g, buf) if nesterov else buf
        p = jax.tree.map(lambda p, u: p - lr * u, p, update)
        return (p, buf), None

    # grads carry a leading step axis: scan applies them in order.
    (params, momentum_buffer), _ = jax.lax.scan(step, (params, momentum_buffer), grads)
    return params, momentum_buffer
