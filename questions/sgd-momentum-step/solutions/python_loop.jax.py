import jax


def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    # No jit: a Python loop over steps, tree_map over the parameters.
    steps = next(iter(grads.values())).shape[0]
    p, buf = params, momentum_buffer
    for t in range(steps):
        g = jax.tree.map(lambda gr, q: gr[t] + weight_decay * q, grads, p)
        buf = jax.tree.map(lambda b, gg: momentum * b + gg, buf, g)
        step = jax.tree.map(lambda gg, b: gg + momentum * b, g, buf) if nesterov else buf
        p = jax.tree.map(lambda q, s: q - lr * s, p, step)
    return p, buf
