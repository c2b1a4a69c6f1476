import torch


def dropout(x: torch.Tensor, p: float, rng: dict) -> torch.Tensor:
    """Inverted dropout: zero each entry with probability p, scale the rest by 1 / (1 - p).

    rng["seed"] (a Python int) seeds a torch.Generator: use it for all randomness.
    rng["key_data"] is for the JAX version; ignore it.
    """
    raise NotImplementedError
