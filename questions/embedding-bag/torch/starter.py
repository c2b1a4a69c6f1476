import torch


def embedding_bag(weight: torch.Tensor, indices: torch.Tensor, offsets: torch.Tensor, mode: str) -> torch.Tensor:
    """Sum or mean of weight[indices[offsets[b]:offsets[b+1]]] for every bag b; shape (bags, dim)."""
    raise NotImplementedError
