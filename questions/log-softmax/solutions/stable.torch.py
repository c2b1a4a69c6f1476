import torch


def log_softmax(x: torch.Tensor) -> torch.Tensor:
    m = x.amax(dim=-1, keepdim=True)
    masked_row = torch.isneginf(m)
    m = torch.where(masked_row, torch.zeros_like(m), m)
    lse = m + torch.log(torch.exp(x - m).sum(dim=-1, keepdim=True))
    out = x - lse
    return torch.where(masked_row, torch.full_like(out, float("-inf")), out)
