from functools import partial

import jax
import jax.numpy as jnp


def _segment(h: jax.Array, w: jax.Array, b: jax.Array) -> jax.Array:
    def layer(h, wb):
        return h + jnp.tanh(h @ wb[0] + wb[1]), None

    return jax.lax.scan(layer, h, (w, b))[0]


def _loss(params, x, y, segment_size):
    # jax.checkpoint saves only the segment's inputs and recomputes its activations in the
    # backward pass. Python slicing makes the last segment shorter when L % k != 0.
    segment = jax.checkpoint(_segment)
    h = x
    for start in range(0, params["w"].shape[0], segment_size):
        h = segment(h, params["w"][start : start + segment_size], params["b"][start : start + segment_size])
    return jnp.mean((h - y) ** 2)


@partial(jax.jit, static_argnames="segment_size")
def checkpointed_loss_and_grads(
    params: dict[str, jax.Array], x: jax.Array, y: jax.Array, segment_size: int
) -> tuple[jax.Array, dict[str, jax.Array]]:
    return jax.value_and_grad(_loss)(params, x, y, segment_size)
