import jax
import jax.numpy as jnp

GRAD_KEYS = ("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh")


def _gru_sequence(x, h0, w_ih, w_hh, b_ih, b_hh):
    # The input projections do not depend on h: one matmul for every step at once.
    gates_x = x @ w_ih.T + b_ih  # (T, B, 3H), rows r, z, n

    def step(h, gx):
        x_r, x_z, x_n = jnp.split(gx, 3, axis=-1)
        h_r, h_z, h_n = jnp.split(h @ w_hh.T + b_hh, 3, axis=-1)
        r = jax.nn.sigmoid(x_r + h_r)
        z = jax.nn.sigmoid(x_z + h_z)
        n = jnp.tanh(x_n + r * h_n)  # PyTorch: the reset gate scales (W_hn h + b_hn)
        h = (1.0 - z) * n + z * h  # z keeps the old state
        return h, h

    _, hs = jax.lax.scan(step, h0, gates_x)
    return hs


@jax.jit
def gru_bptt(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    # Backpropagation through time is reverse-mode autodiff through the scan: the pullback of
    # L = sum(g * hs) starts from dL/dhs = g.
    hs, pullback = jax.vjp(_gru_sequence, x, h0, w_ih, w_hh, b_ih, b_hh)
    grads = pullback(g)
    return hs, hs[-1], dict(zip(GRAD_KEYS, grads, strict=True))
