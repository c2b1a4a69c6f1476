import jax
import jax.numpy as jnp


def _stack(h, w, b):
    return jax.lax.scan(lambda h, p: (h + jnp.tanh(h @ p[0] + p[1]), None), h, (w, b))[0]


def checkpointed_loss_and_grads(params, x, y, segment_size):
    # Full segments go through one scan whose body is rematerialised (jax.remat, saving
    # nothing); the remainder, if any, is one more rematerialised segment.
    remat = jax.remat(_stack, policy=jax.checkpoint_policies.nothing_saveable)
    layers, width = params["w"].shape[0], params["w"].shape[1]
    full = layers // segment_size * segment_size

    def loss(p):
        w_full = p["w"][:full].reshape(-1, segment_size, width, width)
        b_full = p["b"][:full].reshape(-1, segment_size, width)
        h = jax.lax.scan(lambda h, wb: (remat(h, *wb), None), x, (w_full, b_full))[0]
        if full < layers:
            h = remat(h, p["w"][full:], p["b"][full:])
        return jnp.mean(jnp.square(h - y))

    return jax.jit(jax.value_and_grad(loss))(params)
