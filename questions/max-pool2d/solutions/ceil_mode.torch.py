import math

import torch
import torch.nn.functional as F


def max_pool2d(x, kernel_size, stride, padding):
    (kh, kw), (sh, sw), (ph, pw) = kernel_size, stride, padding
    h, w = x.shape[2] + 2 * ph, x.shape[3] + 2 * pw
    # Rounds the output size up (ceil_mode=True) and pads on to fill the last windows.
    oh, ow = math.ceil((h - kh) / sh) + 1, math.ceil((w - kw) / sw) + 1
    extra_h, extra_w = (oh - 1) * sh + kh - h, (ow - 1) * sw + kw - w
    xp = F.pad(x, (pw, pw + extra_w, ph, ph + extra_h), value=float("-inf"))
    return xp.unfold(2, kh, sh).unfold(3, kw, sw).amax(dim=(-2, -1))
