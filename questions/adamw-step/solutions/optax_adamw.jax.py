import jax
import jax.numpy as jnp
import optax


def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # optax.adamw with its state loaded from the arguments.
    tx = optax.adamw(lr, b1=beta1, b2=beta2, eps=eps, weight_decay=weight_decay)
    state = tx.init(params)
    adam_state = state[0]._replace(count=jnp.asarray(step, jnp.int32), mu=dict(exp_avg), nu=dict(exp_avg_sq))
    state = (adam_state, *state[1:])
    update = jax.jit(tx.update)
    for i in range(next(iter(grads.values())).shape[0]):
        updates, state = update({n: g[i] for n, g in grads.items()}, state, params)
        params = optax.apply_updates(params, updates)
    return params, dict(state[0].mu), dict(state[0].nu)
