import torch


def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    # Temperature applied to the probabilities: renormalising cancels it.
    pi = torch.softmax(logits, dim=-1) / temperature
    kth = torch.topk(pi, min(top_k, pi.shape[-1]), dim=-1).values[:, -1:]
    pi = torch.where(pi >= kth, pi, torch.zeros_like(pi))
    pi = pi / pi.sum(dim=-1, keepdim=True)
    sorted_pi = torch.sort(pi, dim=-1, descending=True).values
    ahead = torch.cumsum(sorted_pi, dim=-1) - sorted_pi
    last = ((ahead < top_p) & (sorted_pi > 0)).sum(dim=-1, keepdim=True) - 1
    probs = torch.where(pi >= torch.gather(sorted_pi, -1, last), pi, torch.zeros_like(pi))
    probs = probs / probs.sum(dim=-1, keepdim=True)
    gen = torch.Generator().manual_seed(rng["seed"])
    return probs, torch.multinomial(probs, 1, generator=gen).squeeze(-1)
