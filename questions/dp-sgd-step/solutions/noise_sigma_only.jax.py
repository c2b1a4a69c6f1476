import jax
import jax.numpy as jnp


def _loss(params, x, y):
    residual = x @ params["w"] + params["b"] - y
    return 0.5 * jnp.sum(residual**2)


@jax.jit
def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    grads = jax.vmap(jax.grad(_loss), in_axes=(None, 0, 0))(params, x, y)
    norms = jnp.sqrt(jnp.sum(grads["w"] ** 2, axis=(1, 2)) + jnp.sum(grads["b"] ** 2, axis=1))
    factor = jnp.minimum(1.0, clip_norm / (norms + 1e-6))
    batch = x.shape[0]
    # The noise std is sigma, forgetting the sensitivity C.
    noisy = {k: (jnp.tensordot(factor, g, axes=1) + noise_multiplier * noise[k]) / batch for k, g in grads.items()}
    return {k: params[k] - lr * noisy[k] for k in params}, noisy
