from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames="num_heads")
def multi_head_attention(
    query: jax.Array,
    key: jax.Array,
    value: jax.Array,
    params: dict[str, jax.Array],
    num_heads: int,
) -> jax.Array:
    b, lq, e = query.shape
    head_dim = e // num_heads

    def split_heads(x: jax.Array, name: str) -> jax.Array:
        # nn.Linear layout: y = x @ W^T + b. Then (b, l, e) -> (b, l, heads, head_dim): each
        # head owns a contiguous slice of the features.
        y = x @ params[f"w_{name}"].T + params[f"b_{name}"]
        return y.reshape(b, -1, num_heads, head_dim)

    q, k, v = split_heads(query, "q"), split_heads(key, "k"), split_heads(value, "v")
    # Scale by sqrt(head_dim), not sqrt(e): each head's dot products have head_dim terms.
    scores = jnp.einsum("bqhd,bkhd->bhqk", q * head_dim**-0.5, k)
    weights = jax.nn.softmax(scores, axis=-1)  # max-shifted internally: safe for large scores
    merged = jnp.einsum("bhqk,bkhd->bqhd", weights, v).reshape(b, lq, e)  # undo the split
    return merged @ params["w_o"].T + params["b_o"]
