import torch


def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    z = logits / temperature
    sorted_z = torch.sort(z, dim=-1, descending=True).values
    kth = sorted_z[:, top_k - 1 : top_k]
    in_top_k = sorted_z > kth  # strict: drops the k-th largest token itself (and its ties)
    probs_sorted = torch.softmax(sorted_z.masked_fill(~in_top_k, float("-inf")), dim=-1)
    mass_before = torch.cumsum(probs_sorted, dim=-1) - probs_sorted
    in_nucleus = in_top_k & ((mass_before < top_p) | (top_p >= 1.0))
    last = (in_nucleus.sum(dim=-1, keepdim=True) - 1).clamp_min(0)
    threshold = torch.gather(sorted_z, -1, last)
    probs = torch.softmax(z.masked_fill(z < threshold, float("-inf")), dim=-1)
    gen = torch.Generator().manual_seed(rng["seed"])
    return probs, torch.multinomial(probs, 1, generator=gen).squeeze(-1)
