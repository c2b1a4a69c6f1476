import jax
import jax.numpy as jnp


def gru_bptt(
    x: jax.Array,
    h0: jax.Array,
    w_ih: jax.Array,
    w_hh: jax.Array,
    b_ih: jax.Array,
    b_hh: jax.Array,
    g: jax.Array,
) -> tuple[jax.Array, jax.Array, dict[str, jax.Array]]:
    """A GRU (PyTorch's equations) over x (T, B, D) from h0 (B, H), and the gradients of
    L = sum(g * hs) with respect to every input.

    w_ih (3H, D), w_hh (3H, H), b_ih (3H,), b_hh (3H,): rows stacked as reset, update, new.
    Returns (hs (T, B, H), h_last (B, H), grads) with grads a dict with the keys
    "x", "h0", "w_ih", "w_hh", "b_ih", "b_hh", each shaped like that input.
    """
    raise NotImplementedError
