import torch


def cross_entropy(
    logits: torch.Tensor, targets: torch.Tensor, label_smoothing: float, ignore_index: int
) -> torch.Tensor:
    valid = targets != ignore_index
    # Ignored rows may hold NaN or inf: replace them before any arithmetic, since a later
    # "multiply by 0" would turn inf into NaN.
    logits = torch.where(valid[:, None], logits, 0.0)
    # Log-probabilities via a max-shifted logsumexp: exp never overflows, log never sees 0.
    shifted = logits - logits.amax(dim=1, keepdim=True)
    lse = shifted.exp().sum(dim=1).log()
    safe_targets = torch.where(valid, targets, 0)  # ignore_index may be out of range
    nll = lse - shifted.gather(1, safe_targets[:, None]).squeeze(1)
    # Smoothing mixes in the uniform distribution: -mean_c log p_c = lse - mean_c(shifted).
    uniform = lse - shifted.mean(dim=1)
    per_row = (1.0 - label_smoothing) * nll + label_smoothing * uniform
    total = torch.where(valid, per_row, 0.0).sum()
    return total / valid.sum().clamp_min(1)  # no valid rows: 0 / 1 = 0
