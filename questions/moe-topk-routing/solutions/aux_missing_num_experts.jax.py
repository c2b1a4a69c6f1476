from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=(4, 5))
def moe_route(x, router_logits, w_in, w_out, k, capacity_factor):
    # Leaves the factor E out of the balance loss: E * sum_e f_e P_e is 1 for uniform routing,
    # and without E it is 1 / E, so the loss's weight in training means something else.
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
    y = jnp.sum(jnp.where(keep, gates, 0.0)[..., None] * picked, axis=1)
    share = jnp.mean(jax.nn.one_hot(top_e, experts), axis=(0, 1))
    return y, ~keep, jnp.sum(share * probs.mean(axis=0))
