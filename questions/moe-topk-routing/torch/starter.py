import math

import torch
import torch.nn.functional as F


def moe_route(
    x: torch.Tensor,
    router_logits: torch.Tensor,
    w_in: torch.Tensor,
    w_out: torch.Tensor,
    k: int,
    capacity_factor: float,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Top-k MoE routing with expert capacity: x (T, D), router_logits (T, E), w_in (E, D, H),
    w_out (E, H, D). Returns (y (T, D) float32, dropped (T, k) bool, aux_loss () float32)."""
    raise NotImplementedError
