import torch
import torch.nn.functional as F


def conv2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> torch.Tensor:
    n, _, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    oh = (h + 2 * padding[0] - kh) // stride[0] + 1  # floor: a partial last window is dropped
    ow = (w + 2 * padding[1] - kw) // stride[1] + 1
    # im2col: every receptive field becomes a column of c_in * kh * kw values, in the same
    # (c_in, kh, kw) order as a flattened filter, so the convolution is one matrix product.
    cols = F.unfold(x, (kh, kw), padding=padding, stride=stride)  # (n, c_in*kh*kw, oh*ow)
    out = weight.reshape(c_out, -1) @ cols  # (n, c_out, oh*ow)
    if bias is not None:
        out = out + bias[:, None]
    return out.reshape(n, c_out, oh, ow)
