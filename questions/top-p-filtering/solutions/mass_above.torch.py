import torch


def top_p_filter(logits, p):
    if p >= 1.0:
        return logits.clone()
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
    probs = torch.softmax(sorted_logits, dim=-1)
    before = torch.cumsum(probs, dim=-1) - probs
    # Give every member of a run of equal logits the mass before the run's first member:
    # that mass is nondecreasing along the sorted row, so a running minimum from the right
    # would not work, but a "first index of the run" lookup does.
    new_run = torch.ones_like(sorted_logits, dtype=torch.bool)
    new_run[:, 1:] = sorted_logits[:, 1:] != sorted_logits[:, :-1]
    positions = torch.arange(logits.shape[-1]).expand_as(sorted_logits)
    run_start = torch.cummax(torch.where(new_run, positions, torch.zeros_like(positions)), dim=-1).values
    keep_sorted = torch.gather(before, -1, run_start) < p
    keep = torch.empty_like(keep_sorted).scatter_(-1, order, keep_sorted)
    return logits.masked_fill(~keep, float("-inf"))
