import math

import torch


def multi_head_attention(query, key, value, params, num_heads):
    b, lq, e = query.shape
    d = e // num_heads

    def heads(x, name):
        y = x @ params["w_" + name].T + params["b_" + name]
        # Reshapes straight to (b, heads, l, d): each "head" gets a block of positions and
        # features scrambled together instead of a slice of the features.
        return y.reshape(b, num_heads, x.shape[1], d)

    q, k, v = heads(query, "q"), heads(key, "k"), heads(value, "v")
    w = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1)
    merged = (w @ v).reshape(b, lq, e)
    return merged @ params["w_o"].T + params["b_o"]
