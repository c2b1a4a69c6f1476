import torch


def cross_entropy(logits, targets, label_smoothing, ignore_index):
    valid = targets != ignore_index
    x = torch.where(valid.unsqueeze(1), logits, torch.zeros_like(logits)).to(torch.bfloat16)
    shifted = x - x.amax(dim=1, keepdim=True)
    logp = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    idx = torch.where(valid, targets, torch.zeros_like(targets))
    loss = -(1 - label_smoothing) * logp.gather(1, idx[:, None]).squeeze(1) - label_smoothing * logp.mean(dim=1)
    return (torch.where(valid, loss, 0.0).sum() / valid.sum().clamp_min(1)).float()
