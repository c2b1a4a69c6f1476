import jax.numpy as jnp
from optax._src import transform


def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # optax's private scale_by_adam, with the decay and the learning rate applied by hand.
    tx = transform.scale_by_adam(b1=beta1, b2=beta2, eps=eps)
    state = transform.ScaleByAdamState(count=jnp.asarray(step, jnp.int32), mu=dict(exp_avg), nu=dict(exp_avg_sq))
    for i in range(next(iter(grads.values())).shape[0]):
        updates, state = tx.update({n: g[i] for n, g in grads.items()}, state)
        params = {n: p - lr * (updates[n] + weight_decay * p) for n, p in params.items()}
    return params, dict(state.mu), dict(state.nu)
