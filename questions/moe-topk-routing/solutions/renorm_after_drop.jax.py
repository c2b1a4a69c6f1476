from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=(4, 5))
def moe_route(x, router_logits, w_in, w_out, k, capacity_factor):
    # Renormalises the gates over the choices that survived the capacity limit, so a token
    # that lost one of its experts gives the others its weight; the gates are fixed before any
    # drop.
    tokens, experts = router_logits.shape
    probs = jax.nn.softmax(router_logits, axis=-1)
    top_p, top_e = jax.lax.top_k(probs, k)
    gates = top_p / jnp.sum(top_p, axis=-1, keepdims=True)
    capacity = int(capacity_factor * k * tokens / experts)
    flat = top_e.T.reshape(-1)
    order = jnp.argsort(flat, stable=True)
    ranked = flat[order]
    starts = jnp.searchsorted(ranked, ranked, side="left")
    position = jnp.zeros_like(flat).at[order].set(jnp.arange(flat.size) - starts)
    keep = (position < capacity).reshape(k, tokens).T
    every = jnp.einsum("eth,ehd->etd", jax.nn.relu(jnp.einsum("td,edh->eth", x, w_in)), w_out)
    picked = every[top_e, jnp.arange(tokens)[:, None]]
    kept_p = jnp.where(keep, top_p, 0.0)
    weights = kept_p / jnp.maximum(jnp.sum(kept_p, axis=-1, keepdims=True), 1e-30)
    y = jnp.sum(weights[..., None] * picked, axis=1)
    share = jnp.mean(jax.nn.one_hot(top_e, experts), axis=(0, 1))
    return y, ~keep, experts * jnp.sum(share * probs.mean(axis=0))
