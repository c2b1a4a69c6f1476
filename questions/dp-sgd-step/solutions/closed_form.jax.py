import jax
import jax.numpy as jnp


@jax.jit
def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    r = x @ params["w"] + params["b"] - y
    grads = {"w": jnp.einsum("bi,bj->bij", x, r), "b": r}
    norms = jnp.sqrt(jnp.sum(grads["w"] ** 2, axis=(1, 2)) + jnp.sum(grads["b"] ** 2, axis=1))
    factor = jnp.minimum(1.0, clip_norm / (norms + 1e-6))
    batch = x.shape[0]
    noisy = {
        "w": (jnp.einsum("b,bij->ij", factor, grads["w"]) + noise_multiplier * clip_norm * noise["w"]) / batch,
        "b": (factor @ grads["b"] + noise_multiplier * clip_norm * noise["b"]) / batch,
    }
    return {k: params[k] - lr * noisy[k] for k in params}, noisy
