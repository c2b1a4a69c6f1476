import jax
import jax.numpy as jnp

EPS = 1e-5


@jax.jit
def layer_norm(x: jax.Array, weight: jax.Array, bias: jax.Array) -> jax.Array:
    # Two passes: the mean first, then the mean squared deviation from it. E[x^2] - E[x]^2
    # would cancel catastrophically when |mean| >> std. Biased variance, like nn.LayerNorm.
    mean = jnp.mean(x, axis=-1, keepdims=True)
    centred = x - mean
    var = jnp.mean(jnp.square(centred), axis=-1, keepdims=True)
    return centred * jax.lax.rsqrt(var + EPS) * weight + bias
