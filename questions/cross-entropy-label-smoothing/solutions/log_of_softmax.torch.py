import torch


def cross_entropy(logits, targets, label_smoothing, ignore_index):
    # Stable softmax, then log: probabilities that underflow to 0 give log(0) = -inf.
    valid = targets != ignore_index
    x = torch.where(valid.unsqueeze(1), logits, torch.zeros_like(logits))
    e = (x - x.amax(dim=1, keepdim=True)).exp()
    logp = (e / e.sum(dim=1, keepdim=True)).log()
    idx = torch.where(valid, targets, torch.zeros_like(targets))
    loss = -(1 - label_smoothing) * logp.gather(1, idx[:, None]).squeeze(1) - label_smoothing * logp.mean(dim=1)
    return torch.where(valid, loss, 0.0).sum() / valid.sum().clamp_min(1)
