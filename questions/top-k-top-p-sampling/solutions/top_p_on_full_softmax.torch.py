import torch


def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    z = logits / temperature
    sorted_z = torch.sort(z, dim=-1, descending=True).values
    kth = sorted_z[:, min(top_k, z.shape[-1]) - 1 :][:, :1]
    # The nucleus is measured with the softmax over the whole vocabulary, not over the top-k.
    sorted_pi = torch.softmax(sorted_z, dim=-1)
    ahead = torch.cumsum(sorted_pi, dim=-1) - sorted_pi
    in_nucleus = (sorted_z >= kth) & ((ahead < top_p) | (top_p >= 1.0))
    threshold = torch.gather(sorted_z, -1, in_nucleus.sum(dim=-1, keepdim=True) - 1)
    probs = torch.softmax(z.masked_fill(z < threshold, float("-inf")), dim=-1)
    gen = torch.Generator().manual_seed(rng["seed"])
    return probs, torch.multinomial(probs, 1, generator=gen).squeeze(-1)
