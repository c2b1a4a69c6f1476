import torch


def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    z = logits / temperature
    kth = torch.topk(z, min(top_k, z.shape[-1]), dim=-1).values[:, -1:]
    z = z.masked_fill(z < kth, float("-inf"))  # ties with the k-th value survive
    pi = torch.softmax(z, dim=-1)
    # The mass strictly ahead of each token: sort, and give every member of a run of equal
    # values the running sum before the run's first member.
    sorted_z, order = torch.sort(z, dim=-1, descending=True)
    ahead = torch.cumsum(torch.gather(pi, -1, order), dim=-1) - torch.gather(pi, -1, order)
    first = torch.searchsorted(-sorted_z.contiguous(), -sorted_z.contiguous(), side="left")
    mass = torch.empty_like(z).scatter_(-1, order, torch.gather(ahead, -1, first))
    keep = torch.isfinite(z) & ((mass < top_p) | (top_p >= 1.0))
    probs = torch.softmax(z.masked_fill(~keep, float("-inf")), dim=-1)
    # Gumbel-max: argmax(log p + G) with G = -log(-log(U)) is a draw from p.
    gen = torch.Generator().manual_seed(rng["seed"])
    u = torch.rand(z.shape, generator=gen).clamp_min(torch.finfo(torch.float32).tiny)
    tokens = torch.argmax(torch.log(probs) - torch.log(-torch.log(u)), dim=-1)
    return probs, tokens
