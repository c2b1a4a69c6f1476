import jax
import jax.numpy as jnp


def _sequence(x, h0, w_ih, w_hh, b_ih, b_hh):
    def step(h, x_t):
        x_r, x_z, x_n = jnp.split(x_t @ w_ih.T + b_ih, 3, axis=-1)
        # The carried state is cut from the graph: each step sees h as a constant.
        h = jax.lax.stop_gradient(h)
        h_r, h_z, h_n = jnp.split(h @ w_hh.T + b_hh, 3, axis=-1)
        r, z = jax.nn.sigmoid(x_r + h_r), jax.nn.sigmoid(x_z + h_z)
        h = (1 - z) * jnp.tanh(x_n + r * h_n) + z * h
        return h, h

    return jax.lax.scan(step, h0, x)[1]


@jax.jit
def gru_bptt(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    hs, pullback = jax.vjp(_sequence, x, h0, w_ih, w_hh, b_ih, b_hh)
    return hs, hs[-1], dict(zip(("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"), pullback(g)))
