import jax
import jax.numpy as jnp


def clip_by_global_norm(grads: dict[str, jax.Array], max_norm: float) -> tuple[dict[str, jax.Array], jax.Array]:
    """Scale every gradient by min(1, max_norm / global_norm); return (clipped, global_norm).

    global_norm is the L2 norm of all gradients together, as a 0-d float32 array.
    """
    raise NotImplementedError
