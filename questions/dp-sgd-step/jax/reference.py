import jax
import jax.numpy as jnp

EPS = 1e-6  # the clip factor is min(1, C / (norm + EPS))


def _loss(params, x, y):
    """One example's squared error: x (d,), y (k,)."""
    residual = x @ params["w"] + params["b"] - y
    return 0.5 * jnp.sum(residual * residual)


@jax.jit
def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    # One batched backward pass: row i of each leaf is example i's own gradient.
    grads = jax.vmap(jax.grad(_loss), in_axes=(None, 0, 0))(params, x, y)
    batch = x.shape[0]
    # The norm of each example's whole gradient, all parameters together.
    norms = jnp.sqrt(sum(jnp.sum(g.reshape(batch, -1) ** 2, axis=1) for g in jax.tree.leaves(grads)))
    factor = jnp.minimum(1.0, clip_norm / (norms + EPS))  # never divides by a zero norm

    def privatise(g, n):
        clipped_sum = jnp.tensordot(factor, g, axes=1)
        # Noise on the clipped sum, with std sigma * C (the sensitivity), then the average.
        return (clipped_sum + noise_multiplier * clip_norm * n) / batch

    noisy = jax.tree.map(privatise, grads, noise)
    new_params = jax.tree.map(lambda p, g: p - lr * g, params, noisy)
    return new_params, noisy
