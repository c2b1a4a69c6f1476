import jax
import jax.numpy as jnp


def conv2d(
    x: jax.Array,
    weight: jax.Array,
    bias: jax.Array | None,
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> jax.Array:
    """2-D convolution (cross-correlation, as in deep learning) without the built-in conv.

    x: (n, c_in, h, w); weight: (c_out, c_in, kh, kw); bias: (c_out,) or None;
    stride = (sh, sw); padding = (ph, pw) zeros on each side. Returns (n, c_out, oh, ow).
    """
    raise NotImplementedError
