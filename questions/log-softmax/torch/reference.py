import torch


def log_softmax(x: torch.Tensor) -> torch.Tensor:
    # log_softmax(x) = (x - m) - log(sum(exp(x - m))) for any m; taking m = row max keeps every
    # exponent <= 0 (no overflow) and makes the largest term exactly 1 (no log(0)).
    m = x.amax(dim=-1, keepdim=True)
    # A fully masked row has m = -inf and x - m = NaN; shift it by 0 instead.
    m = torch.where(torch.isneginf(m), 0.0, m)
    shifted = x - m
    total = shifted.exp().sum(dim=-1, keepdim=True)
    # total >= 1 whenever the row has a finite entry (its maximum contributes exp(0) = 1), and
    # is 0 for a fully masked row: clamping to 1 leaves real rows alone and gives
    # -inf - log(1) = -inf for masked ones.
    return shifted - total.clamp_min(1.0).log()
