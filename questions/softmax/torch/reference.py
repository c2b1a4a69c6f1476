import torch


def softmax(x: torch.Tensor) -> torch.Tensor:
    # Subtracting the row maximum keeps every exponent <= 0, so exp never overflows,
    # and the largest term is exactly 1, so the sum never underflows to 0.
    shifted = x - x.amax(dim=-1, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=-1, keepdim=True)
