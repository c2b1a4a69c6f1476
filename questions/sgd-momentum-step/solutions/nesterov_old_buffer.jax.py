from functools import partial

import jax


@partial(jax.jit, static_argnames="nesterov")
def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    # Nesterov with the buffer from *before* this step's update: g + momentum * buf_old.
    def step(state, g):
        p, buf = state
        g = jax.tree.map(lambda g, p: g + weight_decay * p, g, p)
        look = jax.tree.map(lambda g, b: g + momentum * b, g, buf)
        buf = jax.tree.map(lambda b, g: momentum * b + g, buf, g)
        update = look if nesterov else buf
        return (jax.tree.map(lambda p, u: p - lr * u, p, update), buf), None

    (params, momentum_buffer), _ = jax.lax.scan(step, (params, momentum_buffer), grads)
    return params, momentum_buffer
