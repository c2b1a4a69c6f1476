import jax
import jax.numpy as jnp


def _loss(params: dict[str, jax.Array], x: jax.Array, y: jax.Array) -> jax.Array:
    """Cross-entropy of one example: x of shape (d,), y a 0-d int32 label."""
    hidden = jnp.tanh(x @ params["w1"] + params["b1"])
    logits = hidden @ params["w2"] + params["b2"]
    # logsumexp subtracts the maximum internally, so large logits cannot overflow.
    return jax.nn.logsumexp(logits) - logits[y]


# grad differentiates one example's loss; vmap maps it over the batch axis of x and y while
# sharing the parameters (in_axes=None); jit compiles the whole batched computation once.
per_example_grads = jax.jit(jax.vmap(jax.grad(_loss), in_axes=(None, 0, 0)))
