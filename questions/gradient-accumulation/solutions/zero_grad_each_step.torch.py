import torch
import torch.nn.functional as F


def accumulated_grad(params, micro_batches):
    # Clears the gradients before every micro-batch (as in an ordinary training loop), so only
    # the last micro-batch's contribution survives.
    total = sum(len(y) for _, y in micro_batches)
    w = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    for x, y in micro_batches:
        for v in w.values():
            v.grad = None
        logits = torch.tanh(x @ w["w1"] + w["b1"]) @ w["w2"] + w["b2"]
        (F.cross_entropy(logits, y, reduction="sum") / total).backward()
    return {k: v.grad for k, v in w.items()}
