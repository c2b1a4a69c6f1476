import torch


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    if p >= 1.0:  # float rounding can push a running sum to 1 before the last token
        return logits.clone()
    sorted_logits = torch.sort(logits, dim=-1, descending=True).values
    probs = torch.softmax(sorted_logits, dim=-1)  # stable: subtracts the row maximum
    mass_before = torch.cumsum(probs, dim=-1) - probs  # mass of the tokens sorted ahead
    # The last sorted position whose mass before it is < p sets a threshold logit; keeping every
    # logit >= threshold keeps ties together (an equal logit sorted later is kept too, since the
    # mass strictly above it is the same).
    last = (mass_before < p).sum(dim=-1, keepdim=True) - 1
    threshold = torch.gather(sorted_logits, -1, last)
    return logits.masked_fill(logits < threshold, float("-inf"))
