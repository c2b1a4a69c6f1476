import jax
import optax


def clip_by_global_norm(grads, max_norm):
    # optax.global_norm sums plain squares in float32.
    norm = optax.global_norm(grads)
    clipper = optax.clip_by_global_norm(max_norm)
    clipped, _ = clipper.update(grads, clipper.init(grads))
    return clipped, norm
