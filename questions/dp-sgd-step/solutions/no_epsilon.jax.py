import jax
import jax.numpy as jnp


@jax.jit
def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    r = x @ params["w"] + params["b"] - y
    norms = jnp.linalg.norm(r, axis=1) * jnp.sqrt(1.0 + jnp.sum(x * x, axis=1))
    # min(1, C / norm): C / 0 = inf clamps to 1 harmlessly, but the convention's 1e-6 is missing.
    factor = jnp.minimum(1.0, clip_norm / norms)
    scaled = factor[:, None] * r
    batch = x.shape[0]
    sums = {"w": x.T @ scaled, "b": scaled.sum(axis=0)}
    noisy = {k: (sums[k] + noise_multiplier * clip_norm * noise[k]) / batch for k in sums}
    return {k: params[k] - lr * noisy[k] for k in params}, noisy
