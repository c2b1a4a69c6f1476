import math

import jax
import jax.numpy as jnp


def multi_head_attention(query, key, value, params, num_heads):
    b, lq, e = query.shape
    d = e // num_heads

    def heads(x, name):
        y = x @ params["w_" + name].T + params["b_" + name]
        return y.reshape(b, x.shape[1], num_heads, d).transpose(0, 2, 1, 3)

    q, k, v = heads(query, "q"), heads(key, "k"), heads(value, "v")
    # Scales by sqrt(e) rather than sqrt(head_dim).
    w = jax.nn.softmax(q @ k.transpose(0, 1, 3, 2) / math.sqrt(e), axis=-1)
    merged = (w @ v).transpose(0, 2, 1, 3).reshape(b, lq, e)
    return merged @ params["w_o"].T + params["b_o"]
