import math

import jax
import jax.numpy as jnp


def moe_route(
    x: jax.Array, router_logits: jax.Array, w_in: jax.Array, w_out: jax.Array, k: int, capacity_factor: float
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Top-k MoE routing with expert capacity: x (T, D), router_logits (T, E), w_in (E, D, H),
    w_out (E, H, D). Returns (y (T, D) float32, dropped (T, k) bool, aux_loss () float32)."""
    raise NotImplementedError
