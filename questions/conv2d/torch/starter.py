import torch


def conv2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> torch.Tensor:
    """2-D convolution (cross-correlation, as in deep learning) without the built-in conv.

    x: (n, c_in, h, w); weight: (c_out, c_in, kh, kw); bias: (c_out,) or None;
    stride = (sh, sw); padding = (ph, pw) zeros on each side. Returns (n, c_out, oh, ow).
    """
    raise NotImplementedError
