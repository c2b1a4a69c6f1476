import math

import jax
import jax.numpy as jnp


def multi_head_attention(query, key, value, params, num_heads):
    p = {k: v.astype(jnp.bfloat16) for k, v in params.items()}
    query, key, value = (x.astype(jnp.bfloat16) for x in (query, key, value))
    b, lq, e = query.shape
    d = e // num_heads

    def heads(x, name):
        y = x @ p["w_" + name].T + p["b_" + name]
        return y.reshape(b, x.shape[1], num_heads, d).transpose(0, 2, 1, 3)

    q, k, v = heads(query, "q"), heads(key, "k"), heads(value, "v")
    w = jax.nn.softmax(q @ k.transpose(0, 1, 3, 2) / math.sqrt(d), axis=-1)
    merged = (w @ v).transpose(0, 2, 1, 3).reshape(b, lq, e)
    return (merged @ p["w_o"].T + p["b_o"]).astype(jnp.float32)
