import torch
import torch.nn.functional as F


def conv2d(x, weight, bias, stride, padding):
    # A textbook (signal-processing) convolution flips the kernel; deep learning's does not.
    weight = weight.flip(2, 3)
    kh, kw = weight.shape[2:]
    n, _, h, w = x.shape
    oh = (h + 2 * padding[0] - kh) // stride[0] + 1
    ow = (w + 2 * padding[1] - kw) // stride[1] + 1
    cols = F.unfold(x, (kh, kw), padding=padding, stride=stride)
    out = (weight.reshape(weight.shape[0], -1) @ cols).reshape(n, -1, oh, ow)
    return out if bias is None else out + bias.view(1, -1, 1, 1)
