import jax
import jax.numpy as jnp


@jax.jit
def rnn_forward(x, h0, w_ih, w_hh, b):
    # bfloat16 matmuls "for speed": about 3 significant digits.
    bf = jnp.bfloat16
    xw = (x.astype(bf) @ w_ih.T.astype(bf)).astype(jnp.float32) + b
    w = w_hh.T.astype(bf)

    def step(h, xw_t):
        h = jnp.tanh(xw_t + (h.astype(bf) @ w).astype(jnp.float32))
        return h, h

    h_last, hs = jax.lax.scan(step, h0, xw)
    return hs, h_last
