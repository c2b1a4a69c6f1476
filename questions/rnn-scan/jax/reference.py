import jax
import jax.numpy as jnp


@jax.jit
def rnn_forward(x, h0, w_ih, w_hh, b):
    # The input projection does not depend on h: do it for all steps in one matmul.
    xw = x @ w_ih.T + b

    def step(h, xw_t):
        h = jnp.tanh(xw_t + h @ w_hh.T)
        return h, h  # carry the state, and emit it as this step's output

    h_last, hs = jax.lax.scan(step, h0, xw)
    return hs, h_last
