import jax
import jax.numpy as jnp


def _loss(params, g):
    x, h0, w_ih, w_hh, b_ih, b_hh = (params[k] for k in ("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"))

    def step(h, x_t):
        x_r, x_z, x_n = jnp.split(x_t @ w_ih.T + b_ih, 3, axis=-1)
        h_r, h_z, h_n = jnp.split(h @ w_hh.T + b_hh, 3, axis=-1)
        r, z = jax.nn.sigmoid(x_r + h_r), jax.nn.sigmoid(x_z + h_z)
        h = (1 - z) * jnp.tanh(x_n + r * h_n) + z * h
        return h, h

    _, hs = jax.lax.scan(step, h0, x)
    return jnp.sum(g * hs), hs


@jax.jit
def gru_bptt(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    params = {"x": x, "h0": h0, "w_ih": w_ih, "w_hh": w_hh, "b_ih": b_ih, "b_hh": b_hh}
    grads, hs = jax.grad(_loss, has_aux=True)(params, g)
    return hs, hs[-1], grads
