import torch


def _filtered_probs(logits, temperature, top_k, top_p):
    z = logits / temperature
    sorted_z = torch.sort(z, dim=-1, descending=True).values
    in_top_k = sorted_z >= sorted_z[:, min(top_k, z.shape[-1]) - 1 :][:, :1]
    sorted_pi = torch.softmax(sorted_z.masked_fill(~in_top_k, float("-inf")), dim=-1)
    ahead = torch.cumsum(sorted_pi, dim=-1) - sorted_pi
    count = (in_top_k & ((ahead < top_p) | (top_p >= 1.0))).sum(dim=-1, keepdim=True)
    threshold = torch.gather(sorted_z, -1, count - 1)
    return torch.softmax(z.masked_fill(z < threshold, float("-inf")), dim=-1)


def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    probs = _filtered_probs(logits, temperature, top_k, top_p)
    tokens = []
    for row in probs:
        # A fresh generator from the same seed for every row: each row replays the same draw.
        gen = torch.Generator().manual_seed(rng["seed"])
        tokens.append(torch.multinomial(row, 1, generator=gen))
    return probs, torch.cat(tokens)
