import math
from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=(4, 5))
def moe_route(x, router_logits, w_in, w_out, k, capacity_factor):
    tokens, experts = router_logits.shape
    probs = jax.nn.softmax(router_logits, axis=-1)
    top_p, choice = jax.lax.top_k(probs, k)  # (T, k), best first
    # Renormalise over the k chosen experts, before any capacity drop.
    gates = top_p / top_p.sum(axis=-1, keepdims=True)
    capacity = math.floor(capacity_factor * k * tokens / experts)

    # Assignments in priority order: all first choices (in token order), then all second
    # choices, ... Flattening the transposed (k, T) table gives exactly that order.
    expert_of = choice.T.reshape(-1)
    token_of = jnp.tile(jnp.arange(tokens), k)
    one_hot = jax.nn.one_hot(expert_of, experts, dtype=jnp.int32)
    # How many earlier assignments went to the same expert: this one's slot in its buffer.
    slot = jnp.take_along_axis(jnp.cumsum(one_hot, axis=0) - 1, expert_of[:, None], axis=1)[:, 0]
    kept = slot < capacity

    # Dispatch into fixed (E, capacity, D) buffers (static shapes); a slot past the capacity
    # is out of bounds, so mode="drop" drops the assignment and mode="fill" reads it as 0.
    buffers = jnp.zeros((experts, capacity, x.shape[1]), x.dtype).at[expert_of, slot].set(x[token_of], mode="drop")
    hidden = jax.nn.relu(jnp.einsum("ecd,edh->ech", buffers, w_in))
    out = jnp.einsum("ech,ehd->ecd", hidden, w_out).at[expert_of, slot].get(mode="fill", fill_value=0)
    weight = jnp.where(kept, gates.T.reshape(-1), 0.0)
    y = jnp.zeros_like(x).at[token_of].add(weight[:, None] * out)

    # Switch-style balance loss: E * sum_e (share of the T k assignments to e, before capacity)
    # * (mean router probability of e). 1 when routing is uniform.
    share = one_hot.sum(axis=0) / (tokens * k)
    aux = experts * jnp.sum(share * probs.mean(axis=0))
    return y, ~kept.reshape(k, tokens).T, aux
