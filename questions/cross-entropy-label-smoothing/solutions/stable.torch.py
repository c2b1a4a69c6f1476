import torch


def cross_entropy(logits, targets, label_smoothing, ignore_index):
    valid = targets != ignore_index
    x = torch.where(valid.unsqueeze(1), logits, torch.zeros_like(logits))
    m = x.max(dim=1, keepdim=True).values
    logp = x - m - torch.log(torch.exp(x - m).sum(dim=1, keepdim=True))
    idx = torch.where(valid, targets, torch.zeros_like(targets))
    nll = -logp[torch.arange(x.shape[0]), idx]
    smooth = -logp.mean(dim=1)
    loss = (1 - label_smoothing) * nll + label_smoothing * smooth
    count = valid.sum()
    if count == 0:
        return torch.zeros((), dtype=logits.dtype)
    return loss[valid].sum() / count
