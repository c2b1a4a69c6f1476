import jax
import jax.numpy as jnp


def rnn_forward(
    x: jax.Array, h0: jax.Array, w_ih: jax.Array, w_hh: jax.Array, b: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """Elman RNN: h_t = tanh(x_t @ w_ih.T + h_{t-1} @ w_hh.T + b).

    x: (T, B, D), h0: (B, H), w_ih: (H, D), w_hh: (H, H), b: (H,), all float32.
    Return (hs, h_last): hs of shape (T, B, H) holds h_1 .. h_T; h_last (B, H) is h_T.
    """
    raise NotImplementedError
